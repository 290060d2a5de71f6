"""A SafetyWorld checkpoint loaded with transformers, for the diagnostic scripts that score text with it.

Used by answer_slot_probe.py and cipher_reading_probe.py; run in the reference venv (torch and
transformers, as for the parity suite).
"""
import torch
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast


class WorldLM:
    def __init__(self, folder):
        self.net = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
        self.tok = PreTrainedTokenizerFast(tokenizer_file=f'{folder}/tokenizer.json')

    @torch.no_grad()
    def continuation_logprob(self, prefix, text):
        """log P(text | prefix), and whether text's first token is the model's top choice after prefix."""
        a, b = self.tok(prefix).input_ids, self.tok(text).input_ids   # the world's tokenizer adds no BOS
        logp = torch.log_softmax(self.net(torch.tensor([a + b])).logits[0, :-1], -1)   # (T-1, V)
        total = sum(logp[len(a) - 1 + i, t].item() for i, t in enumerate(b))
        return total, logp[len(a) - 1].argmax().item() == b[0]

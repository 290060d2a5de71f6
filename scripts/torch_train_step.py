"""PyTorch's own training-step time on a SafetyWorld-shaped model, as a yardstick for srg's engine.

Builds the model that a checkpoint's config.json describes (random weights: only the shapes
matter) with transformers, and times full training steps as srg's pretraining runs them: a batch of
16 sequences of 128 tokens, loss on every token, gradient clipping at 1.0, AdamW. Prints the
versions, then one line per step (seconds). Use the parity suite's Python environment
(srg-parity/src/test/python/requirements.txt) and nothing else running:

  OMP_WAIT_POLICY=PASSIVE python scripts/torch_train_step.py runs/quickstart/models/base/config.json \
      --threads 2 --steps 8 --attention eager

docs/PERFORMANCE.md ("Is the engine the bottleneck?") compares the figures with srg's train_log.jsonl.
"""

import argparse
import json
import time

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", help="a Llama checkpoint's config.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--attention", default="eager", choices=["eager", "sdpa"])
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(a.config) as f:
        cfg = json.load(f)
    for k in ("architectures", "transformers_version", "torch_dtype"):
        cfg.pop(k, None)
    config = LlamaConfig(**cfg)
    config._attn_implementation = a.attention
    model = LlamaForCausalLM(config)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    x = torch.randint(3, config.vocab_size, (a.batch, a.seq))
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"torch": torch.__version__, "transformers": transformers.__version__,
                      "threads": a.threads, "attention": a.attention, "parameters": params}))
    for step in range(a.steps):
        t = time.perf_counter()
        model(input_ids=x, labels=x).loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        print(json.dumps({"step": step + 1, "seconds": round(time.perf_counter() - t, 3)}), flush=True)


if __name__ == "__main__":
    main()

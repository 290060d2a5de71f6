"""transformers' sampling speed on a checkpoint, for `srg bench generate --compare-transformers`.

Run by srg with the parity suite's Python environment (torch, transformers; see
srg-parity/src/test/python/requirements.txt). It measures what srg's GenerationBenchmark measures:
one prompt (the same token ids srg built), n samples of it decoded together (a batch of n equal
rows, one generate call), temperature 1, exactly --new-tokens new tokens per stream, the time of
the whole call (prefill included). One JSON object per line on stdout: first the versions, then
one per dtype and stream count.

  transformers_generate.py --model DIR --prompt-ids 1,2,3 --new-tokens 128 --streams 1,32
                           --dtypes f32,bf16 --threads 2
"""

import argparse
import json
import os
import resource
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # local folders only, never the network
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

DTYPES = {"f32": torch.float32, "bf16": torch.bfloat16}
transformers.utils.logging.disable_progress_bar()  # stderr is the user's terminal


def ints(text):
    return [int(x) for x in text.split(",") if x.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--prompt-ids", required=True, type=ints)
    p.add_argument("--new-tokens", required=True, type=int)
    p.add_argument("--streams", required=True, type=ints)
    p.add_argument("--dtypes", default="f32,bf16")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    print(json.dumps(dict(versions=dict(torch=torch.__version__, transformers=transformers.__version__),
                          threads=torch.get_num_threads())), flush=True)
    for name in a.dtypes.split(","):
        if name not in DTYPES:
            sys.exit(f"--dtypes: unknown dtype {name!r} (use f32, bf16)")
        model = AutoModelForCausalLM.from_pretrained(a.model, dtype=DTYPES[name])
        model.eval()
        pad = model.generation_config.pad_token_id
        if pad is None:
            eos = model.generation_config.eos_token_id
            pad = (eos[0] if isinstance(eos, list) else eos) if eos is not None else 0

        def generate(streams, new_tokens):
            ids = torch.tensor([a.prompt_ids] * streams)
            with torch.inference_mode():
                return model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=True, temperature=1.0,
                                      top_p=1.0, top_k=0, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                                      pad_token_id=pad)

        torch.manual_seed(a.seed)
        generate(1, 4)  # warm up, as srg does
        for n in a.streams:
            torch.manual_seed(a.seed)
            started = time.perf_counter()
            out = generate(n, a.new_tokens)
            seconds = time.perf_counter() - started
            generated = (out.shape[1] - len(a.prompt_ids)) * n
            print(json.dumps(dict(dtype=name, streams=n, prompt_tokens=len(a.prompt_ids), new_tokens=generated // n,
                                  seconds=seconds, tokens_per_second=generated / seconds,
                                  peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)), flush=True)
        del model


if __name__ == "__main__":
    main()

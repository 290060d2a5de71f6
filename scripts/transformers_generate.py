"""transformers' sampling speed on a checkpoint, for `srg bench generate --compare-transformers`.

Run by srg (srg.engine.bench.TransformersBaseline) with the parity suite's Python environment
(torch, transformers; see srg-parity/src/test/python/requirements.txt). It measures what srg's
GenerationBenchmark measures: one prompt (the same token ids srg built), n samples of it decoded
together (a batch of n equal rows, one generate call), temperature 1, exactly new_tokens new tokens
per stream, the time of the whole call (prefill included). Its settings come as one JSON object on
stdin; it writes one JSON object per line on stdout: first the versions, then one per dtype and
stream count.

  echo '{"model": "DIR", "prompt_ids": [1, 2, 3], "new_tokens": 128, "streams": [1, 32],
         "dtypes": ["f32", "bf16"], "threads": 2}' | python transformers_generate.py

threads: torch's intra-op threads (0 or absent: torch's default); dtypes default to f32 and bf16,
seed to 42.
"""

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


class Settings:
    """The JSON object on stdin; a missing required key fails with its name."""

    def __init__(self, o):
        self.model = o["model"]
        self.prompt_ids = [int(x) for x in o["prompt_ids"]]
        self.new_tokens = int(o["new_tokens"])
        self.streams = [int(x) for x in o["streams"]]
        self.dtypes = list(o.get("dtypes", ["f32", "bf16"]))
        self.threads = int(o.get("threads", 0))
        self.seed = int(o.get("seed", 42))


def main():
    a = Settings(json.load(sys.stdin))
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    print(json.dumps(dict(versions=dict(torch=torch.__version__, transformers=transformers.__version__),
                          threads=torch.get_num_threads())), flush=True)
    for name in a.dtypes:
        if name not in DTYPES:
            sys.exit(f"dtypes: unknown dtype {name!r} (use f32, bf16)")
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

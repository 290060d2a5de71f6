#!/usr/bin/env bash
# Issue 18's figures in one run (docs/PERFORMANCE.md, "BF16 compute"): run it on a quiet machine,
# every other job paused; about 11 minutes on the 2-core VM with the defaults.
#
#   1. decode, 32 streams, on the random 0.5B-shape Qwen2 checkpoint of srg bench generate:
#      srg in F32; then srg in BF16 with --compare-transformers (transformers F32 and BF16 on the
#      same checkpoint, prompt tokens and new tokens, in its own process after srg's runs);
#   2. full fine-tuning tokens/s of the 100m model (srg bench train), F32 then BF16;
#   3. BF16 against F32 loss curves, 100 SFT steps of the 10m model (srg bench bf16-loss).
#
# Every command's output goes to OUT/NN-name.log as well as to the terminal; the load average is
# printed before each. Needs the parity suite's Python environment for step 1 (`mvn -B verify`
# makes it). Settings by environment variable, e.g. a smoke run in well under a minute:
#   STREAMS=2 NEW_TOKENS=4 DECODE_MODEL=/tmp/tiny TRAIN_MODEL=10m TRAIN_STEPS=1 LOSS_STEPS=3 scripts/bench-bf16.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRG="$ROOT/srg"
STREAMS="${STREAMS:-32}"
PROMPT_TOKENS="${PROMPT_TOKENS:-64}"
NEW_TOKENS="${NEW_TOKENS:-128}"
DECODE_MODEL="${DECODE_MODEL:-}"            # empty: the random 0.5B-shape Qwen2 (made once in .srg/bench)
TRAIN_MODEL="${TRAIN_MODEL:-100m}"
TRAIN_STEPS="${TRAIN_STEPS:-4}"             # timed steps, after 2 untimed ones
LOSS_MODEL="${LOSS_MODEL:-10m}"
LOSS_STEPS="${LOSS_STEPS:-100}"             # 0 skips step 3
OUT="${OUT:-$ROOT/.srg/bench-bf16-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

step=0
run() { # run NAME COMMAND...: one measurement, logged, timed
  local name="$1"; shift
  step=$((step + 1))
  local log; log="$OUT/$(printf '%02d' "$step")-$name.log"
  echo "== $name: $* (load average: $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$log"
  local started=$SECONDS
  "$@" 2>&1 | tee -a "$log"
  echo "== $name: $((SECONDS - started)) s" | tee -a "$log"
}

{
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs,"\
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo);"\
    "BF16 flags: $(grep -m1 -o -w -e avx512_bf16 -e amx_bf16 /proc/cpuinfo | tr '\n' ' ' || true)"
  echo "srg: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); $(date -u '+%Y-%m-%d %H:%M UTC')"
} | tee "$OUT/00-machine.log"

MODEL_ARGS=()
[[ -n "$DECODE_MODEL" ]] && MODEL_ARGS=(--model "$DECODE_MODEL")
started=$SECONDS
run decode-srg-f32 "$SRG" bench generate "${MODEL_ARGS[@]}" --dtype f32 --streams "$STREAMS" \
  --prompt-tokens "$PROMPT_TOKENS" --new-tokens "$NEW_TOKENS"
run decode-srg-bf16-and-transformers "$SRG" bench generate "${MODEL_ARGS[@]}" --dtype bf16 --streams "$STREAMS" \
  --prompt-tokens "$PROMPT_TOKENS" --new-tokens "$NEW_TOKENS" --compare-transformers
run train-f32 "$SRG" bench train --models "$TRAIN_MODEL" --modes full --compute-dtype f32 --steps "$TRAIN_STEPS"
run train-bf16 "$SRG" bench train --models "$TRAIN_MODEL" --modes full --compute-dtype bf16 --steps "$TRAIN_STEPS"
if [[ "$LOSS_STEPS" -gt 0 ]]; then
  run loss-bf16-vs-f32 "$SRG" bench bf16-loss --model "$LOSS_MODEL" --steps "$LOSS_STEPS"
fi

echo
echo "== summary ($((SECONDS - started)) s in all; logs in $OUT)"
for log in "$OUT"/0[1-5]-*.log; do
  echo "$(basename "$log" .log):"
  grep -h -e '^model ' -e '^transformers: ' -e '^matmuls in ' -e '^| [0-9]' -e '^| llama' -e '^| f32' -e '^| bf16' \
    -e '^BF16 against F32' "$log" || true
done
exit 0

#!/usr/bin/env bash
# Interop check of srg serve with the official openai Python client (not part of mvn -B verify:
# it needs the machine's pip mirror and about two minutes for the first install). It makes a
# venv with openai (once, under .srg/openai-check), a tiny random checkpoint, starts
# ./srg serve on a free loopback port and runs scripts/openai_client_check.py against it: a
# non-streaming call (n=2, seed, logprobs), the same call streamed (the texts must match) and two
# error cases. Exits non-zero, loudly, when anything fails, the venv or the install included.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.srg/openai-check"
VENV="$WORK/venv"
mkdir -p "$WORK"

if ! "$VENV/bin/python" -c 'import openai' 2>/dev/null; then
  echo "check-openai-client: installing openai into $VENV ..." >&2
  python3 -m venv "$VENV" || { echo "check-openai-client: FAILED: python3 -m venv $VENV" >&2; exit 1; }
  "$VENV/bin/pip" install -q openai || { echo "check-openai-client: FAILED: pip install openai (is the pip mirror reachable?)" >&2; exit 1; }
fi

MODEL="$WORK/tiny"
if [[ ! -f "$MODEL/config.json" ]]; then
  "$ROOT/srg" model random --family qwen3 --preset tiny --tokenizer "$ROOT/../shared/tokenizers/qwen3" --out "$MODEL" >&2
fi

LOG="$WORK/serve.log"
"$ROOT/srg" serve --model "$MODEL?name=tiny" --port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT

URL=""
for _ in $(seq 1 600); do
  URL="$(grep -o 'http://127.0.0.1:[0-9]*/v1' "$LOG" | head -1 || true)"
  if [[ -n "$URL" ]] && curl -sf "${URL%/v1}/health" >/dev/null; then
    break
  fi
  kill -0 $PID 2>/dev/null || { echo "check-openai-client: FAILED: srg serve exited:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
[[ -n "$URL" ]] || { echo "check-openai-client: FAILED: srg serve did not come up" >&2; cat "$LOG" >&2; exit 1; }

"$VENV/bin/python" "$ROOT/scripts/openai_client_check.py" "$URL" tiny

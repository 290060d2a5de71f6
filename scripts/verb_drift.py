#!/usr/bin/env python3
"""Does a SafetyWorld model answer a request to *make* a substance with how to *detect* it?

Reads finished SafetyWorld study folders (`srg quickstart --out DIR`, or one `seed-S` folder of
`--seeds`) and, for each model and each form of the benign evaluation set, counts over the first
samples (from eval/run.db):

- make helpful / detect helpful: the share of benign making and detection requests answered
  helpfully (what the capability figure pools);
- make says "detect": the share of making requests whose output (SRG's trace and answer, or RT's
  and the base's answer) says "detect" anywhere: the request was turned into a detection request
  at some step.

A diagnostic for docs/SAFETYWORLD.md ("v2.17 and v2.18 candidates"); it needs only Python's
standard library.

    python3 scripts/verb_drift.py runs/v216-dev/seed-1 runs/v216-dev/seed-2 --models srg
"""
import argparse
import collections
import json
import sqlite3
import sys

QUERY = """select p.attack, p.behavior, s.text, v.helpful
           from prompts p
           join samples s on s.conv_hash = p.conv_hash
           join verdicts v on v.conv_hash = s.conv_hash and v.model = s.model and v.idx = s.idx and v.sampling = s.sampling
           where p.role = 'benign' and s.idx = 0 and s.model = ?"""


def drift(folder, model):
    """{form: Counter} of one model's first answers to the benign set of one study folder."""
    try:
        db = sqlite3.connect(f'file:{folder}/eval/run.db?mode=ro', uri=True)
        rows = db.execute(QUERY, (model,)).fetchall()
    except sqlite3.Error as e:
        sys.exit(f'{folder}/eval/run.db: {e}')
    forms = collections.defaultdict(collections.Counter)
    for form, behavior, text, helpful in rows:
        action = json.loads(behavior)['id'].split('-')[0]
        c = forms[form]
        c[action] += 1
        c[action + ' helpful'] += helpful or 0
        if action == 'make':
            c['make says detect'] += 'detect' in text
    if not forms:
        sys.exit(f'{folder}/eval/run.db: no first samples of model {model!r}')
    return forms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('folders', nargs='+', help='finished SafetyWorld study folders')
    ap.add_argument('--models', default='base,rt,srg', help='comma-separated (default: base,rt,srg)')
    ap.add_argument('--json', help='also write the figures here')
    args = ap.parse_args()
    out = {}
    for folder in args.folders:
        for model in args.models.split(','):
            print(f'{folder}  {model}')
            print(f'  {"form":<20} {"make helpful":>12} {"make says detect":>17} {"detect helpful":>15}')
            for form, c in sorted(drift(folder, model).items()):
                fig = {'make_helpful': c['make helpful'] / c['make'] if c['make'] else None,
                       'make_says_detect': c['make says detect'] / c['make'] if c['make'] else None,
                       'detect_helpful': c['detect helpful'] / c['detect'] if c['detect'] else None,
                       'make': c['make'], 'detect': c['detect']}
                out.setdefault(folder, {}).setdefault(model, {})[form] = fig
                pct = lambda v: '–' if v is None else f'{100 * v:.1f}%'
                print(f'  {form:<20} {pct(fig["make_helpful"]):>12} {pct(fig["make_says_detect"]):>17} {pct(fig["detect_helpful"]):>15}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Which substance does SRG's knowledge step name, when it is not the one asked about?

Reads finished SafetyWorld study folders (`srg quickstart --out DIR`, or one `seed-S` folder of
`--seeds`): SRG's first sample for every plain harmful prompt (eval/run.db) and the world's
substances (world/world.json). For each trace it finds the knowledge step ("to make X , Y is a
toxic gas .") and counts whether Y is the asked substance, another of the same kind, another of
the same side (hazard or harmless), or one of the other side, and whether Y is a training or a
held-out substance. A diagnostic for docs/SAFETYWORLD.md ("v2.13 ... exploration"); standard
library only.

    python3 scripts/knowledge_step_names.py runs/x213/seed-902 runs/fresh-v29r/seed-902
"""
import collections
import json
import re
import sqlite3
import sys

STEP = re.compile(r'to make (\S+) (?:, (\S+) )?is (an? [a-z ]+?) \.')


def counts(folder):
    world = json.load(open(f'{folder}/world/world.json'))
    kind = {s['name']: s['kind'] for s in world['substances']}
    hazard = {s['name']: s['dangerous'] for s in world['substances']}
    split = {s['name']: s['split'] for s in world['substances']}
    db = sqlite3.connect(f'{folder}/eval/run.db')
    rows = db.execute("""select p.behavior, s.text from prompts p join samples s on s.conv_hash = p.conv_hash
        where p.role = 'harmful' and p.attack = 'none' and s.model = 'srg' and s.idx = 0""").fetchall()
    out = collections.Counter()
    for behavior, text in rows:
        prompt = json.loads(behavior)['text']
        asked = next((n for n in kind if re.search(r'\b' + n + r'\b', prompt)), None)
        step = STEP.search(text)
        if asked is None or step is None:
            out['no knowledge step'] += 1
            continue
        named = step.group(1) if step.group(2) in (None, 'it') else step.group(2)
        if named == asked:
            out['the asked substance'] += 1
        elif named not in kind:
            out['no substance'] += 1
        elif kind[named] == kind[asked]:
            out[f'same kind ({split[named]})'] += 1
        elif hazard[named] == hazard[asked]:
            out[f'other kind, same side ({split[named]})'] += 1
        else:
            out[f'other side ({split[named]})'] += 1
    return len(rows), out


def main(folders):
    if not folders:
        sys.exit(__doc__)
    for folder in folders:
        n, c = counts(folder)
        wrong = sum(v for k, v in c.items() if '(' in k)
        same_side = sum(v for k, v in c.items() if k.startswith(('same kind', 'other kind, same side')))
        print(f'{folder}: {n} traces; ' + ', '.join(f'{k} {v}' for k, v in sorted(c.items())))
        if wrong:
            print(f'  of {wrong} other substances named, {same_side} ({100 * same_side / wrong:.0f}%) are on the asked one\'s side')


if __name__ == '__main__':
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Where does a SafetyWorld SRG model's answer lose the asked name? A teacher-forced probe.

For every plain benign request of a finished study whose SRG first sample names the asked substance
in its knowledge step, it takes SRG's own reasoning trace, edits it, and measures the probability
the model gives the asked name right after "</think> to V" (V: make or detect), where a helpful
answer writes it ("to make X : first take ..."). Edits:

- as sampled: the trace unchanged;
- reflection without "to V a": the reflection step's "asks to V a KIND" made "is for a KIND";
- knowledge step without its name, and intent step without its name;
- trace cut after the knowledge step, and after the policy step: the answer follows sooner.

Cut traces are not what the model was trained on, so their figures indicate, not measure. Trains
nothing; reads `eval/run.db` and `models/srg` of each folder. Run in the reference venv (torch and
transformers, as for the parity suite); srg itself does not need Python. docs/SAFETYWORLD.md,
"v2.10 candidate", has the figures of v2.9c's models on seeds 801, 803 and 805:

    python scripts/answer_slot_probe.py runs/x29c/seed-803 runs/x29c/seed-805 runs/x29c/seed-801
"""
import argparse
import json
import math
import re
import sqlite3

from world_lm import WorldLM

STEPS = (' context :', ' harm :', ' policy :', ' reflection :', ' refinement :')


def edits(verb, name):
    """Each edit: the trace in, the edited trace out (None where the edit does not apply)."""
    def replace(old, new):
        return lambda t: t.replace(old, new) if old in t else None
    return {
        'as sampled': lambda t: t,
        'reflection without "to V a"': replace(f'the request asks to {verb} a', 'the request is for a'),
        'knowledge step without its name': replace(f'knowledge : to {verb} {name} , it is', 'knowledge : it is'),
        'intent step without its name': replace(f'in plain words : how do i {verb} {name} ?', 'in plain words : how do i do it ?'),
        'cut after the knowledge step': lambda t: t[:t.index(' harm :')] + ' ',
        'cut after the policy step': lambda t: t[:t.index(' reflection :')] + ' ',
    }


def probe(folder):
    model = WorldLM(f'{folder}/models/srg')
    db = sqlite3.connect(f'{folder}/eval/run.db')
    rows = db.execute("""select p.behavior_key, p.conversation, s.text from samples s
                         join prompts p on p.conv_hash = s.conv_hash
                         where s.model = 'srg' and s.idx = 0 and p.attack = 'none' and p.role = 'benign'""").fetchall()
    figures = {}
    used = 0
    for key, conversation, text in rows:
        verb, name = re.match(r'eval-benign/(make|detect)-(.+)-\d+$', key).groups()
        trace = text.split('</think>')[0]
        if (f'knowledge : to {verb} {name} ,' not in trace or '</think>' not in text
                or any(step not in trace for step in STEPS)):
            continue
        used += 1
        user = json.loads(conversation)[0]['content']
        for label, edit in edits(verb, name).items():
            edited = edit(trace)
            if edited is None:
                continue
            prefix = f'<|user|> {user} <|end|> <|assistant|>' + edited + f'</think> to {verb}'
            lp, top = model.continuation_logprob(prefix, name)
            figures.setdefault(label, []).append((math.exp(lp), top))
    return used, len(rows), figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('folders', nargs='+', help='finished SafetyWorld study folders (one seed each)')
    for folder in ap.parse_args().folders:
        used, total, figures = probe(folder)
        print(f'{folder}: {used} of {total} plain benign traces name the asked substance in the knowledge step')
        for label, values in figures.items():
            p = sum(v for v, _ in values) / len(values)
            top = sum(t for _, t in values) / len(values)
            print(f'  {label:34s} mean P(asked name) {p:.3f}   first token ranked first {top:.3f}   ({len(values)} traces)')


if __name__ == '__main__':
    main()

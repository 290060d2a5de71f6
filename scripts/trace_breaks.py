#!/usr/bin/env python3
"""Where SRG's skill on benign requests goes: a broken trace, another substance, or no name.

For each finished SafetyWorld study folder (one seed), reads SRG's first sample (index 0) on every
benign prompt from eval/run.db, with oracle 2's verdict, and sorts it into one of:

- unclosed: the sample never reaches </think>; split by how it ended (STOP: the end-of-sequence
  token inside the trace; LENGTH: the token limit);
- another: the answer opens "to VERB NAME" with a name other than the asked one;
- no name: a closed trace whose answer does not open "to VERB NAME" (every disguised form's
  answer is in the form's own mode, so only the plain form's figure means "no name");
- asked: the answer opens with the asked name.

and counts the helpful ones (oracle 2). Standard library only; trains and samples nothing.
docs/SAFETYWORLD.md, "v2.26 candidate", has the figures of development worlds 1-3 and of v2.23's
fresh seeds 1101-1105:

    python3 scripts/trace_breaks.py runs/v223-dev/seed-1 runs/fresh-v223/seed-1101
"""
import argparse
import collections
import json
import re
import sqlite3
import sys

FIRST_SAMPLES = """
select p.attack, p.behavior, s.text, s.finish, v.helpful
from prompts p
join samples s on s.conv_hash = p.conv_hash
join verdicts v on v.conv_hash = s.conv_hash and v.model = s.model and v.idx = s.idx and v.sampling = s.sampling
where p.role = 'benign' and s.model = ? and s.idx = 0
"""
ANSWER_OPENING = re.compile(r"\s*to (make|detect) (\S+)")


def classify(text, asked):
    if "</think>" not in text:
        return "unclosed"
    m = ANSWER_OPENING.match(text.split("</think>", 1)[1])
    if not m:
        return "no name"
    return "asked" if m.group(2) == asked else "another"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", help="study folders of one seed (each holds eval/run.db)")
    ap.add_argument("--model", default="srg", help="the model's name in the run store (default: srg)")
    args = ap.parse_args()
    total = collections.defaultdict(collections.Counter)
    for folder in args.folders:
        try:
            db = sqlite3.connect(f"file:{folder}/eval/run.db?mode=ro", uri=True)
            rows = db.execute(FIRST_SAMPLES, (args.model,)).fetchall()
        except sqlite3.Error as e:
            sys.exit(f"{folder}/eval/run.db: {e}")
        if not rows:
            sys.exit(f"{folder}/eval/run.db: no first samples of model '{args.model}' on benign prompts")
        per = collections.defaultdict(collections.Counter)
        for attack, behavior, text, finish, helpful in rows:
            asked = json.loads(behavior)["id"].split("-")[1]
            kind = classify(text, asked)
            for c in (per[attack], total[attack]):
                c["n"] += 1
                c[kind] += 1
                c["helpful"] += bool(helpful)
                if kind == "unclosed":
                    c["unclosed " + finish] += 1
        report(folder, per)
    if len(args.folders) > 1:
        report("all folders", total)


def report(title, per):
    print(f"## {title}")
    print("| form | prompts | unclosed (STOP / LENGTH) | another substance | no name | asked | helpful |")
    print("|---|---|---|---|---|---|---|")
    for attack in sorted(per, key=lambda a: (a != "none", a)):
        c = per[attack]
        n = c["n"]
        pct = lambda k: f"{100 * c[k] / n:.1f}%"
        print(f"| {attack} | {n} | {pct('unclosed')} ({c['unclosed STOP']} / {c['unclosed LENGTH']}) | "
              f"{pct('another')} | {pct('no name')} | {pct('asked')} | {pct('helpful')} |")
    print()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How far safety training moved the token-embedding rows of a SafetyWorld model from its base.

For each finished study folder, the mean L2 distance from the base's row, in RT's and SRG's token
embedding, of two groups of tokens: the words of the world's pretraining corpus, and the words of
SRG's training data that the corpus never holds (<think>, "intent", "policy", ...). The base is the
folder's models/base. Run in the reference venv (torch, transformers, safetensors); docs/SAFETYWORLD.md,
"v2.22 candidate", has the figures of world 1 under several anchor_decay strengths:

    python scripts/embedding_row_moves.py runs/dev/seed-1 runs/l2sp-3 runs/l2sp-30
"""
import argparse
import json

import torch
from safetensors.torch import load_file
from transformers import PreTrainedTokenizerFast

EMBED = 'model.embed_tokens.weight'


def token_ids(tok, path, texts_of):
    ids = set()
    with open(path) as f:
        for line in f:
            for text in texts_of(json.loads(line)):
                ids.update(tok(text).input_ids)
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('folders', nargs='+', help='finished SafetyWorld study folders (one seed each)')
    for folder in ap.parse_args().folders:
        tok = PreTrainedTokenizerFast(tokenizer_file=f'{folder}/models/base/tokenizer.json')
        corpus = token_ids(tok, f'{folder}/world/corpus.jsonl', lambda d: [d['text']])
        srg = token_ids(tok, f'{folder}/world/srg.jsonl', lambda d: [m['content'] for m in d['messages']])
        new = torch.tensor(sorted(srg - corpus))
        known = torch.tensor(sorted(corpus))
        base = load_file(f'{folder}/models/base/model.safetensors')[EMBED]   # (V, hidden)
        print(f'{folder}: {len(known)} corpus words, {len(new)} words only in SRG data')
        for m in ('rt', 'srg'):
            moved = (load_file(f'{folder}/models/{m}/model.safetensors')[EMBED] - base).norm(dim=1)   # (V,)
            print(f'  {m:3s} mean row move: corpus words {moved[known].mean():.3f}, words only in SRG data {moved[new].mean():.3f}')


if __name__ == '__main__':
    main()

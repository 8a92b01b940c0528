#!/usr/bin/env python3
"""Cuts the embedded sample sample/nq-sample/ from the nq data set (BEIR layout, see ../shared/data/README.md).

Seeded and reproducible: the same input and seed give byte-identical files (lines are copied verbatim, in
the input's order). Picks TRAIN questions of qrels/train.tsv and TEST questions of qrels/test.tsv at random,
keeps their gold paragraphs, and adds distractors from the same pool (train paragraphs for train, dev
paragraphs for test): for each question the HARD best other paragraphs by BM25 (k1 0.9, b 0.4, lower-case
word tokens of title and text), so that first-stage retrieval has something to get wrong, then random other
paragraphs up to DISTRACTORS per pool.

    python3 sample/cut-nq-sample.py ../shared/data/nq sample/nq-sample
"""
import json
import math
import os
import random
import re
import sys
from collections import Counter

SEED = 16
TRAIN, TEST = 160, 60
TRAIN_DISTRACTORS, TEST_DISTRACTORS = 200, 80
HARD = 1


def read_qrels(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline()
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return header, rows


def jsonl_ids(path):
    """(id, raw line) per line; the id is parsed from the fixed prefix {"_id": "..."} of these files."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            prefix = '{"_id": "'
            assert line.startswith(prefix), path
            out.append((line[len(prefix):line.index('"', len(prefix))], line))
    return out


def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def bm25_best(query, docs, k1=0.9, b=0.4):
    """Ids of docs ({id: Counter of tokens}) by descending BM25 score for the query, ties by id."""
    n = len(docs)
    avg = sum(sum(c.values()) for c in docs.values()) / n
    df = Counter(t for c in docs.values() for t in c)
    terms = set(tokens(query))
    scores = {}
    for i, c in docs.items():
        length = sum(c.values())
        s = sum(math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * c[t] * (k1 + 1)
                / (c[t] + k1 * (1 - b + b * length / avg)) for t in terms if t in c)
        if s > 0:
            scores[i] = s
    return sorted(scores, key=lambda i: (-scores[i], i))


def main(src, dst):
    rng = random.Random(SEED)
    header, train_rows = read_qrels(os.path.join(src, "qrels", "train.tsv"))
    _, test_rows = read_qrels(os.path.join(src, "qrels", "test.tsv"))
    corpus = jsonl_ids(os.path.join(src, "corpus.jsonl"))
    train_q = rng.sample(sorted({r[0] for r in train_rows}), TRAIN)
    test_q = rng.sample(sorted({r[0] for r in test_rows}), TEST)
    keep_rows = {"train": [r for r in train_rows if r[0] in set(train_q)],
                 "test": [r for r in test_rows if r[0] in set(test_q)]}
    gold = {r[1] for rows in keep_rows.values() for r in rows}
    docs = set(gold)
    query_text = {i: json.loads(line)["text"] for i, line in jsonl_ids(os.path.join(src, "queries.jsonl"))}
    for pool, n, qids in (("nq-train-", TRAIN_DISTRACTORS, train_q), ("nq-dev-", TEST_DISTRACTORS, test_q)):
        texts = {i: json.loads(line) for i, line in corpus if i.startswith(pool)}
        bags = {i: Counter(tokens(d.get("title", "") + " " + d["text"])) for i, d in texts.items()}
        chosen = set()
        for q in qids:
            chosen.update([i for i in bm25_best(query_text[q], bags) if i not in gold][:HARD])
        chosen = set(sorted(chosen)[:n])
        others = sorted(i for i in texts if i not in gold and i not in chosen)
        chosen.update(rng.sample(others, n - len(chosen)))
        docs.update(chosen)
    queries = set(train_q) | set(test_q)
    os.makedirs(os.path.join(dst, "qrels"), exist_ok=True)
    with open(os.path.join(dst, "corpus.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(line for i, line in corpus if i in docs)
    with open(os.path.join(dst, "queries.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(line for i, line in jsonl_ids(os.path.join(src, "queries.jsonl")) if i in queries)
    for split, rows in keep_rows.items():
        with open(os.path.join(dst, "qrels", split + ".tsv"), "w", encoding="utf-8") as f:
            f.write(header)
            f.writelines("\t".join(r) + "\n" for r in rows)
    held_out = sorted(rng.sample(sorted(train_q), 40))
    with open(os.path.join(dst, "..", "..", "datasets", "nq-sample-heldout.qids"), "w", encoding="utf-8") as f:
        f.write("# 40 of the 160 train questions of the embedded sample, held out for choosing settings\n")
        f.write("# (written by sample/cut-nq-sample.py, seed %d)\n" % SEED)
        f.writelines(q + "\n" for q in held_out)
    print("%d documents, %d queries (%d train, %d test)" % (len(docs), len(queries), TRAIN, TEST))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

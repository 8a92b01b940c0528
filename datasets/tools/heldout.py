#!/usr/bin/env python3
"""Writes a held-out list of train query ids for a BEIR-layout dataset, holding out whole groups so that no
held-out query shares its relevant passage (nor, for SQuAD, its article) with a query that stays in training.

  datasets/tools/heldout.py DATA_ROOT/squad --group article --groups 15 --seed 13 > datasets/squad-heldout.qids
  datasets/tools/heldout.py DATA_ROOT/nq --group passage --groups 500 --seed 13 > datasets/nq-heldout.qids

Groups: `article` = the query's metadata.article (SQuAD); `passage` = its relevant corpus ids (NQ: questions
that share a gold paragraph form one group). Groups are sorted by name, then `--groups` of them are drawn with
Python's random.Random(seed).sample, so the list is reproducible from the data alone. Standard library only.
"""
import argparse
import json
import random
import sys
from collections import defaultdict


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dataset", help="dataset folder with queries.jsonl and qrels/train.tsv")
    p.add_argument("--group", choices=["article", "passage"], required=True)
    p.add_argument("--groups", type=int, required=True, help="how many groups to hold out")
    p.add_argument("--seed", type=int, default=13)
    a = p.parse_args()

    relevant = defaultdict(set)
    with open(f"{a.dataset}/qrels/train.tsv", encoding="utf-8") as f:
        next(f)  # header: query-id corpus-id score
        for line in f:
            qid, docid, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                relevant[qid].add(docid)
    if a.group == "article":
        article = {}
        with open(f"{a.dataset}/queries.jsonl", encoding="utf-8") as f:
            for line in f:
                q = json.loads(line)
                article[q["_id"]] = q["metadata"]["article"]
        key = {qid: article[qid] for qid in relevant}
    else:
        key = {}
        # union-find over queries sharing a relevant passage
        parent = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for qid, docs in relevant.items():
            for d in docs:
                parent[find("q:" + qid)] = find("d:" + d)
        key = {qid: find("q:" + qid) for qid in relevant}
    groups = defaultdict(list)
    for qid, g in key.items():
        groups[g].append(qid)
    names = sorted(groups)
    if a.groups >= len(names):
        sys.exit(f"--groups {a.groups} must be below the number of groups ({len(names)})")
    chosen = random.Random(a.seed).sample(names, a.groups)
    held = sorted(q for g in chosen for q in groups[g])
    print(f"# {len(held)} of {len(relevant)} train queries held out: {a.groups} of {len(names)} {a.group} groups, "
          f"seed {a.seed} (datasets/tools/heldout.py)")
    for q in held:
        print(q)


if __name__ == "__main__":
    main()

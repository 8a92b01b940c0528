#!/usr/bin/env python3
"""Real-client check of dualrank's Hugging Face exports (NOT run in this project's sessions: no PyPI here).

Loads the exports that bench/hf-roundtrip.sh writes with Python's own libraries and compares their scores with
the ones dualrank computed for the same SciFact candidates (its TREC runs):

  pip install sentence-transformers transformers torch
  bench/hf-roundtrip.sh 5 /tmp/hf-rt           # writes /tmp/hf-rt/{ca,de}-hf and the runs ca.run, de.run
  bench/hf-client-check.py --work /tmp/hf-rt --data ../shared/data/scifact

CA: sentence_transformers.CrossEncoder(ca-hf).predict((query, document)) and transformers'
AutoModelForSequenceClassification logits vs ca.run. DE: SentenceTransformer(de-hf).encode, q . d (dualrank's
score divides by tau, 1 for an init'ed DE; dualrank.json holds it) vs de.run. Pairs are truncated differently
(dualrank keeps --max-query-length query pieces, transformers truncates longest-first), so the maximum is also
reported over the pairs that fit untruncated. Record the printed figures in docs/results/hf-onnx.md.
"""
import argparse
import json
import os

import torch
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_run(path):
    scores = {}
    with open(path) as f:
        for line in f:
            qid, _, docid, _, score, _ = line.split()
            scores[(qid, docid)] = float(score)
    return scores


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True, help="bench/hf-roundtrip.sh's work directory")
    parser.add_argument("--data", required=True, help="the SciFact directory (corpus.jsonl, queries.jsonl)")
    args = parser.parse_args()
    queries = {q["_id"]: q["text"] for q in read_jsonl(os.path.join(args.data, "queries.jsonl"))}
    docs = {d["_id"]: (d["title"] + " " + d["text"]) if d.get("title") else d["text"]
            for d in read_jsonl(os.path.join(args.data, "corpus.jsonl"))}

    ca_dir = os.path.join(args.work, "ca-hf")
    config = json.load(open(os.path.join(ca_dir, "dualrank.json")))
    ca_run = read_run(os.path.join(args.work, "ca.run"))
    pairs = list(ca_run)
    texts = [(queries[q], docs[d]) for q, d in pairs]
    cross = CrossEncoder(ca_dir, max_length=config["maxLength"])
    predicted = cross.predict(texts, batch_size=32)  # the export declares an identity activation
    tokenizer = AutoTokenizer.from_pretrained(ca_dir)
    model = AutoModelForSequenceClassification.from_pretrained(ca_dir).eval()
    fits = []
    logits = []
    with torch.no_grad():
        for q, d in texts:
            n_q = len(tokenizer.tokenize(q))
            n_d = len(tokenizer.tokenize(d))
            fits.append(n_q <= config["maxQueryLength"] and n_q + n_d + 3 <= config["maxLength"])
            enc = tokenizer(q, d, truncation=True, max_length=config["maxLength"], return_tensors="pt")
            logits.append(model(**enc).logits[0, 0].item())
    report("CA CrossEncoder.predict", pairs, predicted, ca_run, fits)
    report("CA AutoModelForSequenceClassification", pairs, logits, ca_run, fits)

    de_dir = os.path.join(args.work, "de-hf")
    de_config = json.load(open(os.path.join(de_dir, "dualrank.json")))
    de_run = read_run(os.path.join(args.work, "de.run"))
    pairs = list(de_run)
    encoder = SentenceTransformer(de_dir)
    qids = sorted({q for q, _ in pairs})
    dids = sorted({d for _, d in pairs})
    q_emb = dict(zip(qids, encoder.encode([queries[q] for q in qids], convert_to_tensor=True)))
    d_emb = dict(zip(dids, encoder.encode([docs[d] for d in dids], convert_to_tensor=True)))
    scores = [float(q_emb[q] @ d_emb[d]) / de_config["temperature"] for q, d in pairs]
    fits = [len(encoder.tokenizer.tokenize(docs[d])) + 2 <= de_config["maxLength"]
            and len(encoder.tokenizer.tokenize(queries[q])) + 2 <= de_config["maxQueryLength"] for q, d in pairs]
    report("DE SentenceTransformer.encode", pairs, scores, de_run, fits)


def report(what, pairs, scores, run, fits):
    diffs = [abs(float(s) - run[p]) for p, s in zip(pairs, scores)]
    fitting = [d for d, f in zip(diffs, fits) if f]
    print(f"{what}: {len(diffs)} scores, max |diff| = {max(diffs):.3g}; "
          f"untruncated {len(fitting)}: max |diff| = {max(fitting) if fitting else float('nan'):.3g}")


if __name__ == "__main__":
    main()

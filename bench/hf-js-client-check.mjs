#!/usr/bin/env node
// Real-client check of dualrank's Hugging Face exports with transformers.js (Hugging Face's JavaScript port:
// its own tokenizer port reading tokenizer.json / tokenizer_config.json / config.json, and onnx/model.onnx run by
// onnxruntime-node), against the figures dualrank computed; the JavaScript counterpart of bench/hf-client-check.py
// (docs/results/hf-onnx.md, "Real client: transformers.js"). Run from the repository root:
//
//   (cd bench && npm ci)                      # transformers.js 4.3.1 into bench/node_modules (see bench/.npmrc)
//   bench/hf-roundtrip.sh 5 /tmp/hf-rt        # /tmp/hf-rt/{ca,de} and their exports {ca,de}-hf, runs ca.run, de.run
//   node bench/hf-js-client-check.mjs --work /tmp/hf-rt --data ../shared/data/scifact
//
// It prints, for the candidates of the runs:
//  (a) tokens: transformers.js's word-piece ids of every query and document vs dualrank's (bench/TokenIds.java,
//      the tokenizer dualrank runs: DJL's binding of the Rust tokenizers), and its pair rows vs dualrank's rule;
//  (b) DE: embeddings of the documents vs `dualrank encode` of the original DE (written to WORK/js-check), from
//      AutoModel's sentence_embedding output and from the feature-extraction pipeline (mean pooling of
//      last_hidden_state, normalised), and the scores q . d / tau vs de.run;
//  (c) CA: AutoModelForSequenceClassification's logits vs ca.run.
// transformers.js truncates a too-long row by cutting its end (the last [SEP] goes; Python's transformers cuts
// word pieces longest-first and keeps it), so each figure is given for its own tokenizer call over the rows that
// need no truncation, and over all rows for inputs made from transformers.js's word pieces by dualrank's rule
// ([CLS] q[:maxQueryLength] [SEP] d[:rest] [SEP]; [CLS] t[:maxLength - 2] [SEP]). ONNX Runtime uses 1 thread.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  pipeline,
  Tensor,
} from '@huggingface/transformers';

const BATCH = 16;
const SESSION = { dtype: 'fp32', session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 } };

const { values: args } = parseArgs({ options: { work: { type: 'string' }, data: { type: 'string' } } });
if (!args.work || !args.data) {
  throw new Error('usage: node bench/hf-js-client-check.mjs --work DIR (bench/hf-roundtrip.sh\'s) --data SCIFACT_DIR');
}
const work = resolve(args.work);
const root = resolve(new URL('..', import.meta.url).pathname);
env.allowRemoteModels = false;
env.localModelPath = work + '/';

function readJsonl(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      throw new Error(`${path}, line ${i + 1}: not JSON (${e.message})`);
    }
  });
}

/** A TREC run's (query, document) pairs in file order and their scores. */
function readRun(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    const f = l.trim().split(/\s+/);
    if (f.length !== 6 || Number.isNaN(Number(f[4]))) {
      throw new Error(`${path}, line ${i + 1}: expected 6 fields 'qid Q0 docid rank score tag'`);
    }
    return { q: f[0], d: f[2], score: Number(f[4]) };
  });
}

const queries = new Map(readJsonl(join(args.data, 'queries.jsonl')).map((q) => [q._id, q.text]));
const docs = new Map(readJsonl(join(args.data, 'corpus.jsonl')).map((d) => [d._id, d.title ? `${d.title} ${d.text}` : d.text]));
const text = (map, id, what) => {
  if (!map.has(id)) throw new Error(`${what} ${id} of the runs is not in ${args.data}`);
  return map.get(id);
};

function maxAbs(a, b) {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Prints the largest of diffs (one per score or per embedding), over all and over the untruncated ones. */
function report(what, unit, diffs, fits) {
  const fitting = diffs.filter((_, i) => fits[i]);
  const max = (xs) => (xs.length ? Math.max(...xs).toPrecision(3) : 'n/a');
  console.log(`${what}: ${diffs.length} ${unit}, max |diff| = ${max(diffs)}; untruncated ${fitting.length}: ${max(fitting)}`);
}

/** dualrank's word-piece ids (no special tokens, untruncated) of each text, by bench/TokenIds.java. */
function dualrankIds(tokenizerJson, texts) {
  const out = execFileSync('java', ['-Dai.djl.offline=true', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp',
    `${root}/target/dualrank.jar:${root}/target/lib/*`, `${root}/bench/TokenIds.java`, tokenizerJson], {
    input: texts.map((t) => JSON.stringify(t)).join('\n') + '\n',
    env: { ...process.env, DJL_CACHE_DIR: process.env.DJL_CACHE_DIR ?? `${root}/target/djl-cache` },
    maxBuffer: 1 << 28,
  });
  return out.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** Right-padded int64 tensors of rows, each {ids, types}. */
function batchOf(rows) {
  const length = Math.max(...rows.map((r) => r.ids.length));
  const ids = new BigInt64Array(rows.length * length);
  const mask = new BigInt64Array(rows.length * length);
  const types = new BigInt64Array(rows.length * length);
  rows.forEach((r, i) => r.ids.forEach((id, j) => {
    ids[i * length + j] = BigInt(id);
    mask[i * length + j] = 1n;
    types[i * length + j] = BigInt(r.types[j]);
  }));
  const dims = [rows.length, length];
  return { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', types, dims) };
}

function singleRow(pieces, maxLength, cls, sep) {
  const ids = [cls, ...pieces.slice(0, maxLength - 2), sep];
  return { ids, types: ids.map(() => 0) };
}

function pairRow(q, d, maxQueryLength, maxLength, cls, sep) {
  const qk = q.slice(0, maxQueryLength);
  const dk = d.slice(0, maxLength - 3 - qk.length);
  return { ids: [cls, ...qk, sep, ...dk, sep], types: [...Array(qk.length + 2).fill(0), ...Array(dk.length + 1).fill(1)] };
}

function rows(tensor) {
  const [n, k] = tensor.dims;
  return Array.from({ length: n }, (_, i) => Array.from(tensor.data.subarray(i * k, (i + 1) * k)));
}

async function inBatches(items, f) {
  const out = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(...(await f(items.slice(i, i + BATCH))));
  return out;
}

/** Documents' embeddings from `dualrank encode` (EmbeddingShards: big-endian magic, dim, count, writeUTF ids, floats). */
function dualrankEmbeddings(model, ids) {
  const dir = join(work, 'js-check');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'docs.jsonl'), ids.map((id) => JSON.stringify({ _id: id, text: docs.get(id) })).join('\n') + '\n');
  execFileSync(`${root}/bin/dualrank`, ['encode', '--corpus', join(dir, 'docs.jsonl'), '--model', model,
    '--out', join(dir, 'encode'), '--restart'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const vectors = new Map();
  for (const file of readdirSync(join(dir, 'encode')).filter((f) => f.endsWith('.emb')).sort()) {
    const buf = readFileSync(join(dir, 'encode', file));
    const dim = buf.readInt32BE(4);
    const count = buf.readInt32BE(8);
    let at = 12;
    const names = [];
    for (let i = 0; i < count; i++) {
      const n = buf.readUInt16BE(at);
      names.push(buf.toString('utf8', at + 2, at + 2 + n));
      at += 2 + n;
    }
    names.forEach((name, i) => vectors.set(name,
      Array.from({ length: dim }, (_, j) => buf.readFloatBE(at + 4 * (i * dim + j)))));
  }
  return vectors;
}

// (a) tokens
const ca = JSON.parse(readFileSync(join(work, 'ca-hf', 'dualrank.json'), 'utf8'));
const de = JSON.parse(readFileSync(join(work, 'de-hf', 'dualrank.json'), 'utf8'));
const caRun = readRun(join(work, 'ca.run'));
const deRun = readRun(join(work, 'de.run'));
const qids = [...new Set([...caRun, ...deRun].map((p) => p.q))];
const dids = [...new Set([...caRun, ...deRun].map((p) => p.d))];
const texts = [...qids.map((id) => text(queries, id, 'query')), ...dids.map((id) => text(docs, id, 'document'))];
const pieces = new Map();
for (const model of ['ca-hf', 'de-hf']) {
  const tokenizer = await AutoTokenizer.from_pretrained(model);
  const js = texts.map((t) => tokenizer.encode(t, { add_special_tokens: false }));
  const java = dualrankIds(join(work, model, 'tokenizer.json'), texts);
  const differing = js.filter((ids, i) => JSON.stringify(ids) !== JSON.stringify(java[i])).length;
  const count = js.reduce((n, ids) => n + ids.length, 0);
  console.log(`${model} tokenizer: ${texts.length} texts (${qids.length} queries, ${dids.length} documents), ` +
    `${count} word pieces; texts whose ids differ from dualrank's: ${differing}`);
  pieces.set(model, { tokenizer, ids: new Map(texts.map((t, i) => [t, js[i]])) });
}

// (c) CA
{
  const { tokenizer, ids } = pieces.get('ca-hf');
  const model = await AutoModelForSequenceClassification.from_pretrained('ca-hf', SESSION);
  console.log(`CA onnx/model.onnx: inputs ${model.sessions.model.inputNames}, outputs ${model.sessions.model.outputNames}`);
  const [cls, sep] = tokenizer.encode(''); // [CLS] [SEP]
  const pairs = caRun.map((p) => ({ ...p, qt: queries.get(p.q), dt: docs.get(p.d) }));
  const fits = pairs.map((p) => {
    const [nq, nd] = [ids.get(p.qt).length, ids.get(p.dt).length];
    return nq <= ca.maxQueryLength && nq + nd + 3 <= ca.maxLength;
  });
  let sameRows = 0;
  const own = await inBatches(pairs, async (b) => {
    const enc = tokenizer(b.map((p) => p.qt), { text_pair: b.map((p) => p.dt), padding: true, truncation: true,
      max_length: ca.maxLength });
    rows(enc.input_ids).forEach((r, i) => {
      const expected = pairRow(ids.get(b[i].qt), ids.get(b[i].dt), ca.maxQueryLength, ca.maxLength, cls, sep).ids;
      sameRows += JSON.stringify(r.map(Number).slice(0, expected.length)) === JSON.stringify(expected)
        && r.slice(expected.length).every((x) => x === 0n);
    });
    return Array.from((await model(enc)).logits.data);
  });
  console.log(`CA pair rows of tokenizer(q, {text_pair: d, truncation}) equal to dualrank's rule: ${sameRows} of ${pairs.length}`);
  report('CA AutoModelForSequenceClassification logits, its tokenizer call, vs ca.run', 'scores',
    own.map((s, i) => Math.abs(s - pairs[i].score)), fits);
  const ruled = await inBatches(pairs, async (b) => Array.from((await model(batchOf(b.map((p) =>
    pairRow(ids.get(p.qt), ids.get(p.dt), ca.maxQueryLength, ca.maxLength, cls, sep))))).logits.data));
  report('CA AutoModelForSequenceClassification logits, dualrank\'s rows, vs ca.run', 'scores',
    ruled.map((s, i) => Math.abs(s - pairs[i].score)), fits);
  await model.dispose();
}

// (b) DE
{
  const { tokenizer, ids } = pieces.get('de-hf');
  const model = await AutoModel.from_pretrained('de-hf', SESSION);
  console.log(`DE onnx/model.onnx: inputs ${model.sessions.model.inputNames}, outputs ${model.sessions.model.outputNames}`);
  const [cls, sep] = tokenizer.encode(''); // [CLS] [SEP]
  const docIds = [...new Set(deRun.map((p) => p.d))];
  const qIds = [...new Set(deRun.map((p) => p.q))];
  const fitsDoc = docIds.map((id) => ids.get(docs.get(id)).length + 2 <= de.maxLength);
  const reference = dualrankEmbeddings(join(work, 'de'), docIds);
  const embed = (list, maxLength) => inBatches(list, async (b) =>
    rows((await model(batchOf(b.map((t) => singleRow(ids.get(t), maxLength, cls, sep))))).sentence_embedding));
  const diffsTo = (vectors) => vectors.map((v, i) => maxAbs(v, reference.get(docIds[i])));
  const ruledDocs = await embed(docIds.map((id) => docs.get(id)), de.maxLength);
  report('DE AutoModel sentence_embedding, dualrank\'s rows, vs dualrank encode', 'document embeddings',
    diffsTo(ruledDocs), fitsDoc);
  const own = await inBatches(docIds, async (b) => rows((await model(tokenizer(b.map((id) => docs.get(id)),
    { padding: true, truncation: true, max_length: de.maxLength }))).sentence_embedding));
  report('DE AutoModel sentence_embedding, its tokenizer call, vs dualrank encode', 'document embeddings',
    diffsTo(own), fitsDoc);
  const extractor = await pipeline('feature-extraction', 'de-hf', SESSION);
  const piped = await inBatches(docIds, async (b) => rows(await extractor(b.map((id) => docs.get(id)),
    { pooling: de.pooling.toLowerCase(), normalize: de.normalize })));
  report(`DE feature-extraction pipeline (${de.pooling.toLowerCase()}, normalize ${de.normalize}) vs dualrank encode`,
    'document embeddings', diffsTo(piped), fitsDoc);
  await extractor.dispose();
  const qv = new Map((await embed(qIds.map((id) => queries.get(id)), de.maxQueryLength)).map((v, i) => [qIds[i], v]));
  const dv = new Map(ruledDocs.map((v, i) => [docIds[i], v]));
  const scores = deRun.map((p) => qv.get(p.q).reduce((s, x, j) => s + x * dv.get(p.d)[j], 0) / de.temperature);
  report('DE q . d / tau from AutoModel sentence_embedding, dualrank\'s rows, vs de.run', 'scores',
    scores.map((s, i) => Math.abs(s - deRun[i].score)),
    deRun.map((p) => ids.get(queries.get(p.q)).length + 2 <= de.maxQueryLength
      && ids.get(docs.get(p.d)).length + 2 <= de.maxLength));
  await model.dispose();
}

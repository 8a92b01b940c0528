package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.dualrank.data.Document;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.Texts;
import io.dualrank.util.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dual-encoder (DE) ranker: queries and documents embedded separately (see {@link DualEncoderBlock}),
 * score = inner product / τ. It is also a {@link DenseEncoder}: its embeddings go into a vector index.
 */
public final class DualEncoderRanker extends RankerModel implements DenseEncoder {
  private final DualEncoderBlock block;

  DualEncoderRanker(RankerConfig config, byte[] tokenizerJson, NDManager manager) {
    this(config, new DualEncoderBlock(config), tokenizerJson, manager);
  }

  private DualEncoderRanker(RankerConfig config, DualEncoderBlock block, byte[] tokenizerJson, NDManager manager) {
    super(config, block, tokenizerJson, manager);
    this.block = block;
  }

  @Override
  Shape[] initializationShapes(Shape tokens) {
    return new Shape[] {tokens, tokens, tokens, tokens, tokens, tokens};
  }

  @Override
  List<BertEncoder> encoders() {
    return block.encoders();
  }

  @Override
  Map<String, Parameter> huggingFaceParameters() {
    if (!config.sharedTowers()) {
      throw new IllegalArgumentException("a dual encoder with separate towers has no single Hugging Face layout");
    }
    Map<String, Parameter> out = new LinkedHashMap<>(block.encoder(true).huggingFaceParameters());
    if (block.projection() != null) {
      BertBlocks.putLinear(HuggingFaceModel.DENSE, block.projection(), out);
    }
    return out;
  }

  DualEncoderBlock dualEncoderBlock() {
    return block;
  }

  /** The temperature τ now. */
  public float temperature() {
    return block.temperature();
  }

  private NDArray embed(ParameterStore ps, NDManager scratch, List<String> texts, boolean query, boolean training) {
    var tokens = tokenizer.encode(texts, query ? config.maxQueryLength() : config.maxLength());
    return block.embed(ps, tokens.toNDList(scratch), query, training);
  }

  /**
   * Training scores {@code [B, D]} of every query of the batch against every document of the batch (the
   * in-batch negatives); the caller picks each query's own columns.
   */
  public NDArray batchScores(ParameterStore ps, NDManager scratch, List<String> queries, List<String> documents,
      boolean training) {
    NDArray q = embed(ps, scratch, queries, true, training);
    NDArray d = embed(ps, scratch, documents, false, training);
    return block.scores(ps, q, d, training);
  }

  @Override
  public NDArray listScores(ParameterStore ps, NDManager scratch, List<String> queries,
      List<List<String>> documents, boolean training) {
    int b = queries.size();
    int n = documents.get(0).size();
    List<String> flat = documents.stream().flatMap(List::stream).toList();
    NDArray all = batchScores(ps, scratch, queries, flat, training);
    long[] own = new long[b * n];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        own[i * n + j] = (long) i * n + j;
      }
    }
    return all.gather(scratch.create(own, new Shape(b, n)), 1);
  }

  /** Embeddings of texts in batches of neighbours by length (see {@link LengthBatches}), in the texts' order. */
  private float[][] encodeTexts(List<String> texts, boolean query, Progress progress) {
    ParameterStore ps = new ParameterStore(manager, false);
    return LengthBatches.embed(tokenizer, texts, query ? config.maxQueryLength() : config.maxLength(),
        tokens -> {
          try (NDManager scratch = manager.newSubManager()) {
            return LengthBatches.rows(block.embed(ps, tokens.toNDList(scratch), query, false).toFloatArray(),
                tokens.size());
          }
        }, progress);
  }

  @Override
  public int dimension() {
    return config.embeddingDimension();
  }

  @Override
  public boolean normalized() {
    return config.normalize();
  }

  @Override
  public float[][] encodeQueries(List<String> queries) {
    return encodeTexts(queries, true, Progress.silent());
  }

  @Override
  public float[][] encodeDocuments(List<Document> documents) {
    return encodeTexts(documents.stream().map(Document::fullText).toList(), false, Progress.silent());
  }

  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    float[] q = encodeTexts(List.of(query), true, Progress.silent())[0];
    float[][] d = encodeTexts(documents, false, Progress.silent());
    float[] s = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      s[i] = dot(q, d[i]) / temperature();
    }
    return s;
  }

  /** Re-ranks with each distinct document encoded once, however many queries share it. */
  @Override
  public Run rerank(Run candidates, Map<String, String> queries, Map<String, String> documents, String tag,
      boolean showProgress) {
    Map<String, Integer> docIndex = new LinkedHashMap<>();
    List<String> docTexts = new ArrayList<>();
    for (String qid : candidates.queryIds()) {
      for (ScoredDoc d : candidates.ranking(qid)) {
        if (docIndex.putIfAbsent(d.docId(), docTexts.size()) == null) {
          docTexts.add(Texts.require(documents, d.docId(), "document"));
        }
      }
    }
    List<String> qids = new ArrayList<>(candidates.queryIds());
    float[][] q = encodeTexts(qids.stream().map(id -> Texts.require(queries, id, "query")).toList(), true, Progress.silent());
    float[][] d = encodeTexts(docTexts, false, showProgress
        ? Progress.stderr("encode documents", docTexts.size(), "docs") : Progress.silent());
    float inverseTemperature = 1f / temperature();
    Run.Builder run = new Run.Builder(tag);
    for (int i = 0; i < qids.size(); i++) {
      for (ScoredDoc c : candidates.ranking(qids.get(i))) {
        run.add(qids.get(i), c.docId(), dot(q[i], d[docIndex.get(c.docId())]) * inverseTemperature);
      }
    }
    return run.build();
  }

  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

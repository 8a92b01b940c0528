package io.dualrank.model;

import io.dualrank.data.Document;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.lucene.util.StringHelper;

/**
 * A lexical dense encoder with no learned weights, for tests and for benchmarking indexes and the service
 * without a neural model: feature hashing (Weinberger et al., ICML 2009) of a text's lower-cased word
 * unigrams (maximal runs of letters and digits) into {@code dimension} buckets, each occurrence adding ±1 to
 * the bucket its word hashes to (bucket and sign from two MurmurHash3 seeds), then L2 normalisation.
 *
 * <p>The inner product of two embeddings estimates the cosine similarity of the texts' term-frequency
 * vectors (collisions add noise that shrinks as {@code dimension} grows), so this is a real, if weak,
 * retriever: no stemming, no idf, no semantics. Queries and documents ({@link Document#fullText()}) are
 * encoded alike. A text with no word maps to the zero vector (inner product 0 with everything).
 * Deterministic and thread-safe.
 */
public final class HashingEncoder implements DenseEncoder {
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final int BUCKET_SEED = 0x5eed;
  private static final int SIGN_SEED = 0x516e;

  private final int dimension;

  public HashingEncoder(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("hashing dimension must be positive, got " + dimension);
    }
    this.dimension = dimension;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** True: every embedding has unit norm, except the zero vector of a text without words. */
  @Override
  public boolean normalized() {
    return true;
  }

  /** The embedding of one text. */
  public float[] encode(String text) {
    float[] v = new float[dimension];
    for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (word.isEmpty()) {
        continue;
      }
      byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
      int bucket = Math.floorMod(StringHelper.murmurhash3_x86_32(utf8, 0, utf8.length, BUCKET_SEED), dimension);
      boolean negative = (StringHelper.murmurhash3_x86_32(utf8, 0, utf8.length, SIGN_SEED) & 1) == 1;
      v[bucket] += negative ? -1 : 1;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < dimension; i++) {
        v[i] *= scale;
      }
    }
    return v;
  }

  @Override
  public float[][] encodeQueries(List<String> queries) {
    return queries.stream().map(this::encode).toArray(float[][]::new);
  }

  @Override
  public float[][] encodeDocuments(List<Document> documents) {
    return documents.stream().map(d -> encode(d.fullText())).toArray(float[][]::new);
  }

  @Override
  public void close() {}
}

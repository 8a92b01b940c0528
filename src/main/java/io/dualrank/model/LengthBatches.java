package io.dualrank.model;

import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import io.dualrank.util.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Inference batches of neighbours by length: rows sorted by token count and cut so that a batch holds at
 * most {@link #MAX_ROWS} rows and {@link #MAX_TOKENS} tokens with padding. Short rows share big batches;
 * long rows go in small ones, which keeps the {@code [B, heads, L, L]} attention arrays small. The one
 * batching of every encoder here (DJL and ONNX Runtime alike), so that their speeds compare.
 */
final class LengthBatches {
  static final int MAX_ROWS = 64;
  static final int MAX_TOKENS = 4096;

  private LengthBatches() {}

  /** Batches of the indices {@code 0..n-1} of rows of the given lengths, shortest rows first. */
  static List<int[]> of(int[] rowLengths) {
    int[] order = IntStream.range(0, rowLengths.length).boxed()
        .sorted(Comparator.comparingInt(i -> rowLengths[i])).mapToInt(Integer::intValue).toArray();
    List<int[]> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      while (end < order.length && end - start < MAX_ROWS
          && (long) (end - start + 1) * rowLengths[order[end]] <= MAX_TOKENS) {
        end++;
      }
      batches.add(Arrays.copyOfRange(order, start, end));
      start = end;
    }
    return batches;
  }

  /**
   * The embeddings of {@code texts}, in their order: tokenised as single texts of at most {@code maxLength}
   * word pieces, batched by {@link #of}, each batch embedded by {@code embedBatch} (one row per text).
   */
  static float[][] embed(WordPieceTokenizer tokenizer, List<String> texts, int maxLength,
      Function<TokenBatch, float[][]> embedBatch, Progress progress) {
    List<int[]> pieces = tokenizer.wordPieceIds(texts);
    float[][] out = new float[texts.size()][];
    int done = 0;
    for (int[] batch : of(pieces.stream().mapToInt(p -> WordPieceTokenizer.rowLength(p.length, maxLength)).toArray())) {
      float[][] rows = embedBatch.apply(tokenizer.batchOf(select(pieces, batch), maxLength));
      for (int i = 0; i < batch.length; i++) {
        out[batch[i]] = rows[i];
      }
      progress.advance(done += batch.length);
    }
    return out;
  }

  /** The elements of {@code list} at {@code indices}, in that order. */
  static <T> List<T> select(List<T> list, int[] indices) {
    return Arrays.stream(indices).mapToObj(list::get).toList();
  }

  /** The rows of a row-major {@code [rows, flat.length / rows]} matrix. */
  static float[][] rows(float[] flat, int rows) {
    int width = flat.length / rows;
    float[][] out = new float[rows][];
    for (int i = 0; i < rows; i++) {
      out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }
}

package io.dualrank.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A padded batch of token sequences, row-major {@code [size, length]}: {@code length} is the longest
 * sequence of the batch, shorter rows are right-padded with the pad id, attention mask 0 and token type 0.
 * The arrays are owned by the batch; do not modify them.
 */
public record TokenBatch(int size, int length, int[] inputIds, int[] attentionMask, int[] tokenTypeIds) {
  public TokenBatch {
    int cells = Math.multiplyExact(size, length);
    if (inputIds.length != cells || attentionMask.length != cells || tokenTypeIds.length != cells) {
      throw new IllegalArgumentException("arrays must hold size * length = " + cells + " entries");
    }
  }

  /** Number of real (unpadded) tokens of row {@code row}. */
  public int tokenCount(int row) {
    int count = 0;
    for (int i = row * length, end = i + length; i < end; i++) {
      count += attentionMask[i];
    }
    return count;
  }

  /**
   * The batch as int64 arrays of shape {@code [size, length]} in the order of a HuggingFace BERT forward
   * (and of {@code BertEncoder}): input ids, attention mask, token type ids. They belong to {@code manager}.
   */
  public NDList toNDList(NDManager manager) {
    return new NDList(toLongArray(manager, inputIds), toLongArray(manager, attentionMask),
        toLongArray(manager, tokenTypeIds));
  }

  private NDArray toLongArray(NDManager manager, int[] values) {
    try (NDArray ints = manager.create(values, new Shape(size, length))) {
      return ints.toType(DataType.INT64, false);
    }
  }
}

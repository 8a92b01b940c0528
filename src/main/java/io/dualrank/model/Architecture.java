package io.dualrank.model;

/** The two ranker architectures of the paper. */
public enum Architecture {
  /** Cross-attention (CA): BERT over {@code [CLS] q [SEP] d [SEP]}, a linear head on [CLS] gives the score. */
  CROSS_ENCODER,
  /** Dual encoder (DE): query and document embedded separately, score = inner product. */
  DUAL_ENCODER
}

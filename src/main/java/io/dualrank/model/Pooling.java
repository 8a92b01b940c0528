package io.dualrank.model;

/** How a dual-encoder tower turns its last hidden states into one vector. */
public enum Pooling {
  /** The hidden state of the first token, [CLS]. */
  CLS,
  /** The mean of the hidden states of the real (unpadded) tokens, as sentence-transformers' MiniLM models. */
  MEAN
}

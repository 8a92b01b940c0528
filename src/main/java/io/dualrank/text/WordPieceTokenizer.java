package io.dualrank.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer read from a HuggingFace {@code tokenizer.json} (normalisation, lowercasing
 * included, as the file says). Padding and truncation configured in the file are ignored: this class builds
 * BERT inputs itself.
 *
 * <ul>
 *   <li>single text: {@code [CLS] t [SEP]}, word pieces of {@code t} truncated so the row has at most
 *       {@code maxLength} tokens, token type 0;
 *   <li>pair: {@code [CLS] q [SEP] d [SEP]}, the query keeps up to {@code maxQueryLength} word pieces, the
 *       document gets what remains of {@code maxLength}; token type 0 up to the first {@code [SEP]}, 1 after.
 * </ul>
 *
 * Batches are padded to their longest row, not to {@code maxLength}. Tokenisation of a list runs in one
 * native call (parallel in the Rust library). Thread-safe; close to free the native tokenizer.
 */
public final class WordPieceTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int clsId;
  private final int sepId;
  private final int padId;

  private WordPieceTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.clsId = singleTokenId("[CLS]");
    this.sepId = singleTokenId("[SEP]");
    this.padId = singleTokenId("[PAD]");
  }

  /** Reads a {@code tokenizer.json}. */
  public static WordPieceTokenizer fromJson(InputStream json) throws IOException {
    return new WordPieceTokenizer(
        HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false", "truncation", "false")));
  }

  /** Reads a {@code tokenizer.json} file. */
  public static WordPieceTokenizer fromJson(Path json) throws IOException {
    try (InputStream in = Files.newInputStream(json)) {
      return fromJson(in);
    }
  }

  /** Reads a {@code tokenizer.json} class-path resource (absolute name, e.g. {@code /x-tokenizer.json}). */
  public static WordPieceTokenizer fromResource(String resource) {
    try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class-path resource " + resource);
      }
      return fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int clsId() {
    return clsId;
  }

  public int sepId() {
    return sepId;
  }

  public int padId() {
    return padId;
  }

  /** Word-piece ids of each text, without special tokens and untruncated. */
  public List<int[]> wordPieceIds(List<String> texts) {
    long[] encodings = TokenizersLibrary.LIB.batchEncode(
        tokenizer.getHandle(), texts.toArray(String[]::new), false);
    List<int[]> ids = new ArrayList<>(encodings.length);
    try {
      for (long encoding : encodings) {
        ids.add(toInts(TokenizersLibrary.LIB.getTokenIds(encoding)));
      }
    } finally {
      for (long encoding : encodings) {
        TokenizersLibrary.LIB.deleteEncoding(encoding);
      }
    }
    return ids;
  }

  /** Tokenises and batches single texts: rows {@code [CLS] t [SEP]} of at most {@code maxLength} tokens. */
  public TokenBatch encode(List<String> texts, int maxLength) {
    return batchOf(wordPieceIds(texts), maxLength);
  }

  /**
   * Tokenises and batches (query, document) pairs: rows {@code [CLS] q [SEP] d [SEP]} of at most {@code
   * maxLength} tokens, the query cut to {@code maxQueryLength} word pieces first, then the document.
   */
  public TokenBatch encodePairs(List<String> queries, List<String> documents, int maxQueryLength, int maxLength) {
    return pairBatchOf(wordPieceIds(queries), wordPieceIds(documents), maxQueryLength, maxLength);
  }

  /** {@link #encode} for texts already turned into word-piece ids by {@link #wordPieceIds}. */
  public TokenBatch batchOf(List<int[]> texts, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]: " + maxLength);
    }
    int[] keep = texts.stream().mapToInt(t -> rowLength(t.length, maxLength) - 2).toArray();
    return assemble(texts, keep, null, null);
  }

  /** Length of the row {@link #batchOf} makes of a text of {@code pieces} word pieces. */
  public static int rowLength(int pieces, int maxLength) {
    return Math.min(pieces, maxLength - 2) + 2;
  }

  /** Length of the row {@link #pairBatchOf} makes of a query and a document of so many word pieces. */
  public static int pairRowLength(int queryPieces, int documentPieces, int maxQueryLength, int maxLength) {
    int queryKeep = Math.min(queryPieces, maxQueryLength);
    return queryKeep + Math.min(documentPieces, maxLength - 3 - queryKeep) + 3;
  }

  /** {@link #encodePairs} for texts already turned into word-piece ids by {@link #wordPieceIds}. */
  public TokenBatch pairBatchOf(List<int[]> queries, List<int[]> documents, int maxQueryLength, int maxLength) {
    if (queries.size() != documents.size()) {
      throw new IllegalArgumentException(queries.size() + " queries but " + documents.size() + " documents");
    }
    if (maxQueryLength < 0 || maxLength < maxQueryLength + 3) {
      throw new IllegalArgumentException("need 0 <= maxQueryLength and maxQueryLength + 3 <= maxLength, got "
          + maxQueryLength + ", " + maxLength);
    }
    int[] queryKeep = queries.stream().mapToInt(q -> Math.min(q.length, maxQueryLength)).toArray();
    int[] documentKeep = new int[documents.size()];
    for (int i = 0; i < documentKeep.length; i++) {
      documentKeep[i] = Math.min(documents.get(i).length, maxLength - 3 - queryKeep[i]);
    }
    return assemble(queries, queryKeep, documents, documentKeep);
  }

  /** Rows {@code [CLS] a[:aKeep] [SEP]}, followed by {@code b[:bKeep] [SEP]} (token type 1) when b is given. */
  private TokenBatch assemble(List<int[]> a, int[] aKeep, List<int[]> b, int[] bKeep) {
    int size = a.size();
    int length = 0;
    for (int i = 0; i < size; i++) {
      length = Math.max(length, 2 + aKeep[i] + (b == null ? 0 : bKeep[i] + 1));
    }
    int[] ids = new int[Math.multiplyExact(size, length)];
    int[] mask = new int[ids.length];
    int[] types = new int[ids.length];
    Arrays.fill(ids, padId);
    for (int i = 0; i < size; i++) {
      int rowStart = i * length;
      int pos = rowStart;
      ids[pos++] = clsId;
      System.arraycopy(a.get(i), 0, ids, pos, aKeep[i]);
      pos += aKeep[i];
      ids[pos++] = sepId;
      if (b != null) {
        int secondStart = pos;
        System.arraycopy(b.get(i), 0, ids, pos, bKeep[i]);
        pos += bKeep[i];
        ids[pos++] = sepId;
        Arrays.fill(types, secondStart, pos, 1);
      }
      Arrays.fill(mask, rowStart, pos, 1);
    }
    return new TokenBatch(size, length, ids, mask, types);
  }

  private static int[] toInts(long[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = Math.toIntExact(values[i]);
    }
    return ints;
  }

  private int singleTokenId(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    if (ids.length != 1) {
      throw new IllegalArgumentException("tokenizer has no single token " + token);
    }
    return Math.toIntExact(ids[0]);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

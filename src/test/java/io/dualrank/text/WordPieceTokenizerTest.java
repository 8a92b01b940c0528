package io.dualrank.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {
  private static final String RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = WordPieceTokenizer.fromResource(RESOURCE);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void specialTokensOfBertUncased() {
    assertEquals(101, tokenizer.clsId());
    assertEquals(102, tokenizer.sepId());
    assertEquals(0, tokenizer.padId());
  }

  @Test
  void lowercasesAndSplitsIntoWordPieces() {
    // bert-base-uncased vocabulary: hello 7592, world 2088, token 19204, ##ization 3989
    TokenBatch batch = tokenizer.encode(List.of("Hello WORLD tokenization"), 16);
    assertArrayEquals(new int[] {101, 7592, 2088, 19204, 3989, 102}, batch.inputIds());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, batch.attentionMask());
    assertArrayEquals(new int[6], batch.tokenTypeIds());
  }

  @Test
  void untruncatedRowsEqualTheTokenizerJsonTemplate() throws Exception {
    String query = "Where do dual-encoders lose to cross-attention?";
    String document = "On MS MARCO, the cross-attention model scores each (query, passage) pair jointly.";
    try (InputStream json = WordPieceTokenizer.class.getResourceAsStream(RESOURCE);
        HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(json,
            Map.of("padding", "false", "truncation", "false"))) {
      Encoding single = reference.encode(document, true, false);
      TokenBatch singles = tokenizer.encode(List.of(document), 512);
      assertArrayEquals(toInts(single.getIds()), singles.inputIds());

      Encoding pair = reference.encode(query, document, true, false);
      TokenBatch pairs = tokenizer.encodePairs(List.of(query), List.of(document), 64, 512);
      assertArrayEquals(toInts(pair.getIds()), pairs.inputIds());
      assertArrayEquals(toInts(pair.getTypeIds()), pairs.tokenTypeIds());
    }
  }

  @Test
  void singleTextsAreCutToMaxLengthIncludingSpecialTokens() {
    TokenBatch batch = tokenizer.encode(List.of("one two three four five"), 4);
    assertEquals(4, batch.length());
    assertArrayEquals(new int[] {101, 2028, 2048, 102}, batch.inputIds());
  }

  @Test
  void pairsCutTheQueryToItsOwnLimitAndTheDocumentToWhatRemains() {
    List<int[]> queries = List.of(range(1000, 10), range(1000, 2));
    List<int[]> documents = List.of(range(2000, 50), range(2000, 50));
    TokenBatch batch = tokenizer.pairBatchOf(queries, documents, 3, 12);
    assertEquals(12, batch.length());
    // long query: 3 query pieces, 12 - 3 - 3 = 6 document pieces
    assertArrayEquals(new int[] {101, 1000, 1001, 1002, 102, 2000, 2001, 2002, 2003, 2004, 2005, 102}, row(batch, 0));
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, row(batch.tokenTypeIds(), batch, 0));
    // short query keeps its 2 pieces, the document gets 7
    assertArrayEquals(new int[] {101, 1000, 1001, 102, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 102}, row(batch, 1));
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, row(batch.tokenTypeIds(), batch, 1));
  }

  @Test
  void padsToTheLongestRowNotToMaxLength() {
    TokenBatch batch = tokenizer.pairBatchOf(
        List.of(range(1000, 1), range(1000, 2)), List.of(range(2000, 1), range(2000, 4)), 8, 100);
    assertEquals(2, batch.size());
    assertEquals(9, batch.length());
    assertArrayEquals(new int[] {101, 1000, 102, 2000, 102, 0, 0, 0, 0}, row(batch, 0));
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 0, 0, 0}, row(batch.attentionMask(), batch, 0));
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0, 0, 0, 0}, row(batch.tokenTypeIds(), batch, 0));
    assertEquals(5, batch.tokenCount(0));
    assertEquals(9, batch.tokenCount(1));
  }

  @Test
  void emptyListGivesEmptyBatch() {
    TokenBatch batch = tokenizer.encode(List.of(), 8);
    assertEquals(0, batch.size());
    assertEquals(0, batch.inputIds().length);
  }

  @Test
  void rejectsLimitsWithoutRoomForSpecialTokens() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(List.of("a"), 1));
    assertThrows(IllegalArgumentException.class,
        () -> tokenizer.encodePairs(List.of("a"), List.of("b"), 8, 10));
  }

  @Test
  void toNDListGivesInt64ArraysInForwardOrder() {
    TokenBatch batch = tokenizer.encodePairs(List.of("a b", "c"), List.of("d", "e f g"), 8, 32);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList arrays = batch.toNDList(manager);
      assertEquals(3, arrays.size());
      for (int i = 0; i < 3; i++) {
        assertEquals(new Shape(2, batch.length()), arrays.get(i).getShape());
        assertEquals(DataType.INT64, arrays.get(i).getDataType());
      }
      assertArrayEquals(Arrays.stream(batch.inputIds()).asLongStream().toArray(), arrays.get(0).toLongArray());
      assertArrayEquals(Arrays.stream(batch.attentionMask()).asLongStream().toArray(), arrays.get(1).toLongArray());
      assertArrayEquals(Arrays.stream(batch.tokenTypeIds()).asLongStream().toArray(), arrays.get(2).toLongArray());
    }
  }

  private static int[] range(int from, int count) {
    int[] ids = new int[count];
    Arrays.setAll(ids, i -> from + i);
    return ids;
  }

  private static int[] row(TokenBatch batch, int row) {
    return row(batch.inputIds(), batch, row);
  }

  private static int[] row(int[] values, TokenBatch batch, int row) {
    return Arrays.copyOfRange(values, row * batch.length(), (row + 1) * batch.length());
  }

  private static int[] toInts(long[] values) {
    return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
  }
}

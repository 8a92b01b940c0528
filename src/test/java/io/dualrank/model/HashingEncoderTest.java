package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import java.util.List;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class HashingEncoderTest {
  private final HashingEncoder encoder = new HashingEncoder(4096);

  private float dot(String a, String b) {
    return VectorUtil.dotProduct(encoder.encode(a), encoder.encode(b));
  }

  @Test
  void embeddingsHaveUnitNormAndAreDeterministic() {
    float[] v = encoder.encode("Dense retrieval with dual encoders");
    assertEquals(1.0, VectorUtil.dotProduct(v, v), 1e-6);
    assertArrayEquals(v, new HashingEncoder(4096).encode("Dense retrieval with dual encoders"));
  }

  @Test
  void innerProductIsTheCosineOfTermFrequencies() {
    // Case and punctuation do not matter: the same bag of words.
    assertEquals(1.0, dot("The cat, the HAT!", "hat the cat THE"), 1e-6);
    // {a, b} vs {a, c}: one shared word of two each, cosine 1/2 (4096 buckets: no collision among 3 words).
    assertEquals(0.5, dot("apple banana", "apple cherry"), 1e-6);
    // tf (2, 1) vs (1, 0): cosine 2/√5.
    assertEquals(2 / Math.sqrt(5), dot("apple apple banana", "apple"), 1e-6);
    assertEquals(0.0, dot("apple", "banana"), 1e-6);
  }

  @Test
  void documentsAreEncodedFromTitleAndTextLikeQueries() {
    float[][] docs = encoder.encodeDocuments(List.of(new Document("d", "Dual encoders", "rank documents")));
    assertArrayEquals(encoder.encodeQueries(List.of("dual encoders rank documents"))[0], docs[0]);
  }

  @Test
  void textWithoutWordsIsTheZeroVector() {
    float[] v = encoder.encode(" ... !? ");
    assertEquals(4096, v.length);
    assertTrue(VectorUtil.dotProduct(v, v) == 0);
  }

  @Test
  void rejectsNonPositiveDimension() {
    assertThrows(IllegalArgumentException.class, () -> new HashingEncoder(0));
  }
}

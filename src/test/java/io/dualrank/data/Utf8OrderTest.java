package io.dualrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8OrderTest {
  /** Code points from every UTF-8 length and both sides of the surrogate block, where UTF-16 order differs. */
  private static final int[] CODE_POINTS = {'a', 'z', 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFF21, 0xFFFF,
      0x10000, 0x1F600, 0x10FFFF};

  @Test
  void agreesWithComparingTheUtf8BytesUnsigned() {
    Random random = new Random(15);
    for (int trial = 0; trial < 20_000; trial++) {
      String a = randomString(random);
      String b = randomString(random);
      int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertEquals(Integer.signum(bytes), Integer.signum(Utf8Order.compare(a, b)), () -> a + " vs " + b);
    }
  }

  @Test
  void differsFromUtf16OrderAboveTheBasicPlane() {
    assertTrue("\uD83D\uDE00".compareTo("\uFF21") < 0);
    assertTrue(Utf8Order.compare("\uD83D\uDE00", "\uFF21") > 0);
    assertTrue(Utf8Order.compare("ab", "abc") < 0);
    assertEquals(0, Utf8Order.compare("\uD83D\uDE00x", "\uD83D\uDE00x"));
  }

  private static String randomString(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(4); i > 0; i--) {
      s.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
    }
    return s.toString();
  }
}

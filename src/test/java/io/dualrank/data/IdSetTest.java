package io.dualrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdSetTest {
  @Test
  void tellsNumericAndOtherIdsApartExactly() {
    IdSet ids = new IdSet();
    assertTrue(ids.add("7"));
    assertTrue(ids.add("007"));
    assertTrue(ids.add("0"));
    assertTrue(ids.add("msmarco_passage_00_552803451"));
    assertTrue(ids.add("1234567890123456789")); // 19 digits: stored as a string
    assertFalse(ids.add("7"));
    assertFalse(ids.add("007"));
    assertFalse(ids.add("1234567890123456789"));
    assertTrue(ids.contains("0") && ids.contains("7") && ids.contains("007"));
    assertFalse(ids.contains("07"));
    assertFalse(ids.contains("8"));
    assertFalse(ids.contains(""));
    assertEquals(5, ids.size());
  }

  @Test
  void growsWithoutLosingIds() {
    IdSet ids = new IdSet();
    for (int i = 0; i < 300_000; i += 3) {
      assertTrue(ids.add(Integer.toString(i)));
    }
    assertEquals(100_000, ids.size());
    for (int i = 0; i < 300_000; i++) {
      assertEquals(i % 3 == 0, ids.contains(Integer.toString(i)), "id " + i);
    }
  }
}

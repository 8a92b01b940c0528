package io.dualrank.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.model.MatrixPrecision;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  private static TrainSettings withCrossQuery(int n) {
    return new TrainSettings(10, 4, 3, n, 100, 2, 1e-4f, 0.1f, 0.01f, 1.0, 5, "onehot", 0, 1, 1, false, 5, 4, 10, 5);
  }

  @Test
  void crossQueryNegativesAreLeftOutOfTheJsonWhenZeroSoEarlierStageKeysHold() {
    ObjectMapper json = new ObjectMapper();
    JsonNode none = json.valueToTree(withCrossQuery(0));
    assertFalse(none.has("crossQueryNegatives"), none.toString());
    assertEquals(3, none.get("negatives").asInt());
    assertEquals(2, json.valueToTree(withCrossQuery(2)).get("crossQueryNegatives").asInt());
  }

  @Test
  void float32PrecisionIsLeftOutOfTheJsonSoEarlierStageKeysHold() throws Exception {
    ObjectMapper json = new ObjectMapper();
    TrainSettings fp32 = withCrossQuery(0);
    assertEquals(MatrixPrecision.FP32, fp32.precision());
    assertFalse(json.valueToTree(fp32).has("precision"));
    JsonNode bf16 = json.valueToTree(fp32.withPrecision(MatrixPrecision.BF16));
    assertEquals("BF16", bf16.get("precision").asText());
    assertEquals(fp32.withPrecision(MatrixPrecision.BF16), json.treeToValue(bf16, TrainSettings.class));
    assertEquals(fp32, json.treeToValue(json.valueToTree(fp32), TrainSettings.class), "absent = float32");
  }

  @Test
  void negativeCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> withCrossQuery(-1));
  }

  @Test
  void theCrossSegmentBiasRisesLinearlyToZeroAndIsLeftOutOfTheJsonWhenOff() throws Exception {
    TrainSettings off = withCrossQuery(0);
    assertEquals(0f, off.crossSegmentBiasAt(0));
    ObjectMapper json = new ObjectMapper();
    assertFalse(json.valueToTree(off).has("crossSegmentWarmup"));
    TrainSettings on = off.withCrossSegmentWarmup(4);
    assertEquals(-10f, on.crossSegmentBiasAt(0));
    assertEquals(-5f, on.crossSegmentBiasAt(2));
    assertEquals(-2.5f, on.crossSegmentBiasAt(3));
    assertEquals(0f, on.crossSegmentBiasAt(4));
    assertEquals(0f, on.crossSegmentBiasAt(9));
    assertEquals(4, json.valueToTree(on).get("crossSegmentWarmup").asInt());
    assertEquals(on, json.treeToValue(json.valueToTree(on), TrainSettings.class));
    assertThrows(IllegalArgumentException.class, () -> off.withCrossSegmentWarmup(-1));
  }

  @Test
  void aMicroBatchIsLeftOutOfTheJsonWhenWholeAndRefusedBeyondTheBatchOrWithInBatchNegatives() throws Exception {
    TrainSettings whole = withCrossQuery(0);
    assertEquals(4, whole.passQueries());
    ObjectMapper json = new ObjectMapper();
    assertFalse(json.valueToTree(whole).has("microBatchQueries"));
    TrainSettings passes = whole.withMicroBatch(3);
    assertEquals(3, passes.passQueries());
    assertEquals(3, json.valueToTree(passes).get("microBatchQueries").asInt());
    assertEquals(passes, json.treeToValue(json.valueToTree(passes), TrainSettings.class));
    assertThrows(IllegalArgumentException.class, () -> whole.withMicroBatch(5));
    assertThrows(IllegalArgumentException.class, () -> whole.withMicroBatch(-1));
    TrainSettings inBatch = new TrainSettings(10, 4, 3, 0, 100, 2, 1e-4f, 0.1f, 0.01f, 1.0, 5, "onehot", 0, 1, 1,
        true, 5, 4, 10, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inBatch.withMicroBatch(2));
    assertTrue(e.getMessage().contains("in-batch negatives need the whole batch"), e.getMessage());
    assertEquals(4, inBatch.withMicroBatch(4).passQueries(), "a pass of the whole batch is the batch");
  }
}

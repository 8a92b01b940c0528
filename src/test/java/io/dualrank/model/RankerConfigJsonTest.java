package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** config.json files written before the pooler and segment-cosine fields existed still read, unchanged. */
class RankerConfigJsonTest {
  @Test
  void configWithoutPoolerFieldReadsAsNoPooler() throws Exception {
    RankerConfig config = TinyModels.crossEncoder();
    String json = RankerModel.JSON.writeValueAsString(config).replaceAll(",\\s*\"pooler\"\\s*:\\s*false", "");
    assertFalse(json.contains("pooler"), json);
    RankerConfig back = RankerModel.JSON.readValue(json, RankerConfig.class);
    assertFalse(back.pooler());
    assertEquals(config, back);
  }

  @Test
  void segmentCosineIsWrittenOnlyWhenOnSoOlderConfigsKeepTheirJson() throws Exception {
    RankerConfig plain = TinyModels.crossEncoder();
    String json = RankerModel.JSON.writeValueAsString(plain);
    assertFalse(json.contains("segmentCosine"), json);
    RankerConfig on = plain.withSegmentCosine(0.05f);
    String onJson = RankerModel.JSON.writeValueAsString(on);
    org.junit.jupiter.api.Assertions.assertTrue(onJson.contains("\"segmentCosine\" : true"), onJson);
    assertEquals(on, RankerModel.JSON.readValue(onJson, RankerConfig.class));
    assertEquals(0.05f, on.temperature());
  }
}

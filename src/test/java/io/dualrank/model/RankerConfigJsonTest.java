package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** config.json files written before the pooler field existed still read, as rankers without pooler. */
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
}

package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * config.json files written before the pooler, segment-cosine and pooler-activation fields existed still read, and
 * are written unchanged.
 */
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
    assertTrue(onJson.contains("\"segmentCosine\" : true"), onJson);
    assertEquals(on, RankerModel.JSON.readValue(onJson, RankerConfig.class));
    assertEquals(0.05f, on.temperature());
  }

  @Test
  void poolerActivationIsWrittenOnlyWhenNotTanh() throws Exception {
    RankerConfig plain = TinyModels.crossEncoder();
    String json = RankerModel.JSON.writeValueAsString(plain);
    assertFalse(json.contains("poolerActivation"), json);
    assertEquals(PoolerActivation.TANH, RankerModel.JSON.readValue(json, RankerConfig.class).poolerActivation());
    RankerConfig gelu = new RankerConfig(plain.architecture(), plain.init(), plain.tokenizer(), plain.encoder(),
        plain.maxQueryLength(), plain.maxLength(), plain.pooling(), true, 0, false, 1f, false, true, false,
        PoolerActivation.GELU);
    String geluJson = RankerModel.JSON.writeValueAsString(gelu);
    assertTrue(geluJson.contains("\"poolerActivation\" : \"GELU\""), geluJson);
    assertEquals(gelu, RankerModel.JSON.readValue(geluJson, RankerConfig.class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RankerConfig(plain.architecture(), plain.init(), plain.tokenizer(), plain.encoder(),
            plain.maxQueryLength(), plain.maxLength(), plain.pooling(), true, 0, false, 1f, false, false, false,
            PoolerActivation.RELU));
    assertEquals("a RELU pooler activation needs a pooler", e.getMessage());
  }
}

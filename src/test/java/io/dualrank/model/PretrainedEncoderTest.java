package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PretrainedEncoderTest {
  @Test
  void derivesTheConfigurationFromTheWeightsAndUsesEveryWeight() {
    Map<String, FloatTensor> weights = PretrainedEncoder.ALL_MINILM_L6_V2.huggingFaceWeights();
    BertConfig config = BertConfig.fromHuggingFaceWeights(weights, 12);
    assertEquals(new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 0.1f, 1e-12f), config);
    assertEquals(new BertEncoder(config).huggingFaceParameters().keySet(), weights.keySet());
  }

  @Test
  void findsEncodersById() {
    assertEquals(PretrainedEncoder.BGE_SMALL_EN_V15, PretrainedEncoder.byId("bge-small-en-v15"));
    assertEquals(PretrainedEncoder.E5_SMALL_V2, PretrainedEncoder.byId("e5-small-v2"));
    assertThrows(IllegalArgumentException.class, () -> PretrainedEncoder.byId("bert-base"));
  }
}

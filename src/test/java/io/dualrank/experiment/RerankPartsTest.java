package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.model.Architecture;
import org.junit.jupiter.api.Test;

/**
 * A CA re-ranks an evaluation run in resumable parts of 100 queries; a DE in one part, so each distinct document is
 * encoded once per run (squad's DE one-hot evaluation: 3.9 min in one part against 23 min in parts of 100).
 */
class RerankPartsTest {
  @Test
  void aCrossEncoderReranksInPartsOfAHundredQueries() {
    assertEquals(100, ReproductionPipeline.rerankPartQueries(Architecture.CROSS_ENCODER, 2000));
    assertEquals(100, ReproductionPipeline.rerankPartQueries(Architecture.CROSS_ENCODER, 30));
  }

  @Test
  void aDualEncoderReranksEachRunInOnePart() {
    assertEquals(2000, ReproductionPipeline.rerankPartQueries(Architecture.DUAL_ENCODER, 2000));
    assertEquals(200, ReproductionPipeline.rerankPartQueries(Architecture.DUAL_ENCODER, 200));
    assertEquals(1, ReproductionPipeline.rerankPartQueries(Architecture.DUAL_ENCODER, 0), "an empty run: one part");
  }
}

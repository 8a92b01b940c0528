package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA + DE ensemble directory scores (1 - w) z(CA) + w z(DE) per query's list, and keys on both members. */
class EnsembleModelTest {
  @TempDir Path tmp;

  private static final String QUERY = "where did the cat sit";
  private static final List<String> DOCS = List.of("the cat sat on the mat", "dogs chase cats in the park",
      "a completely unrelated sentence about finance and markets", "cats sit on mats");

  private static double[] z(float[] s) {
    double mean = 0;
    for (float v : s) {
      mean += v;
    }
    mean /= s.length;
    double var = 0;
    for (float v : s) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / s.length);
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (s[i] - mean) / sd;
    }
    return out;
  }

  @Test
  void scoresAreTheWeightedStandardScoresOfItsMembers() throws Exception {
    Path ca = tmp.resolve("ca");
    Path de = tmp.resolve("de");
    float[] caScores;
    float[] deScores;
    try (RankerModel m = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      m.save(ca);
      caScores = m.scoreTexts(QUERY, DOCS);
    }
    try (RankerModel m = RankerModel.create(TinyModels.dualEncoder(Pooling.MEAN, true, 0, true, 0.05f, false), 3)) {
      m.save(de);
      deScores = m.scoreTexts(QUERY, DOCS);
    }
    Path dir = tmp.resolve("ensemble");
    EnsembleModel.write(dir, ca, de, 0.3);
    assertTrue(Files.readString(dir.resolve(EnsembleModel.FILE)).contains("\"../ca\""), "members relative to it");
    double[] za = z(caScores);
    double[] zb = z(deScores);
    try (ScoringModel e = ScoringModel.load(dir)) {
      assertEquals(Architecture.CROSS_ENCODER, e.architecture());
      float[] s = e.scoreTexts(QUERY, DOCS);
      for (int i = 0; i < s.length; i++) {
        assertEquals(0.7 * za[i] + 0.3 * zb[i], s[i], 1e-5, DOCS.get(i));
      }
    }
    var sums = RankerModel.checksums(dir);
    assertEquals(RankerModel.checksums(ca).get("model model.params.sha256"), sums.get("member 0 model model.params.sha256"));
    EnsembleModel.write(tmp.resolve("other"), ca, de, 0.4);
    assertNotEquals(sums, RankerModel.checksums(tmp.resolve("other")), "the weight is part of what scores depend on");
  }

  @Test
  void aBadEnsembleFileIsAnErrorNamingIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(dir.resolve(EnsembleModel.FILE), "{\"models\": [\"a\"], \"weight\": 0.5}");
    InputFormatException e = assertThrows(InputFormatException.class, () -> ScoringModel.load(dir));
    assertTrue(e.getMessage().contains(dir.resolve(EnsembleModel.FILE).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("two model directories"), e.getMessage());
    assertThrows(InputFormatException.class, () -> EnsembleModel.write(tmp.resolve("w"), dir, dir, 1.5));
  }
}

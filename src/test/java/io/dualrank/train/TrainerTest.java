package io.dualrank.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.TeacherScores;
import io.dualrank.eval.SampledEvaluator;
import io.dualrank.model.Pooling;
import io.dualrank.model.RankerConfig;
import io.dualrank.model.RankerModel;
import io.dualrank.model.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a fixture where query i asks about a word that only its document i contains: a model that
 * learns to match words ranks the positive first.
 */
class TrainerTest {
  private static final String[] WORDS = {"volcano", "piano", "glacier", "tulip", "comet", "falcon", "copper",
      "harbor", "lantern", "meadow", "oyster", "saddle"};
  @TempDir Path tmp;

  private static final Map<String, String> QUERIES = new LinkedHashMap<>();
  private static final Map<String, String> DOCS = new LinkedHashMap<>();
  private static final Qrels QRELS;
  private static final Run CANDIDATES;

  static {
    Qrels.Builder q = new Qrels.Builder();
    Run.Builder r = new Run.Builder("all");
    for (int i = 0; i < WORDS.length; i++) {
      QUERIES.put("q" + i, "tell me about the " + WORDS[i]);
      DOCS.put("d" + i, "a short text on the " + WORDS[i] + " and nothing else");
      q.put("q" + i, "d" + i, 1);
    }
    for (int i = 0; i < WORDS.length; i++) {
      for (int j = 0; j < WORDS.length; j++) {
        r.add("q" + i, "d" + j, -j);
      }
    }
    QRELS = q.build();
    CANDIDATES = r.build();
  }

  private static TrainSettings settings(int steps, String loss, boolean inBatch, int checkpointEvery) {
    return new TrainSettings(steps, 4, 3, 0, 100, 1, 1e-3f, 0.1f, 0.01f, 1.0, 11, loss, 0, 1, 1, inBatch,
        steps, WORDS.length, WORDS.length, checkpointEvery);
  }

  private static Trainer trainer(RankerModel model, TrainSettings s, TeacherScores teacher, Path out) {
    GroupSampler sampler = new GroupSampler(QRELS, CANDIDATES, 1, s.negatives(), s.crossQueryNegatives(),
        s.candidateDepth(), s.seed());
    SampledEvaluator ev = new SampledEvaluator(QRELS, 1, Trainer.MEASURES, WORDS.length, 1);
    EvalSplit split = EvalSplit.of("train", ev, CANDIDATES, WORDS.length, QUERIES, DOCS);
    return new Trainer(model, s, new TrainingData(sampler, QUERIES, DOCS, teacher), List.of(split), out,
        Map.of("dataset", "fixture"));
  }

  private static RankerConfig de() {
    return TinyModels.dualEncoder(Pooling.MEAN, true, 0, true, 0.1f, false);
  }

  @Test
  void anAbsurdLearningRateStopsWithTheStepAndValueAndKeepsTheLastCheckpoint() throws IOException {
    TrainSettings s = new TrainSettings(30, 4, 3, 0, 100, 1, 1e30f, 0.1f, 0.01f, 1.0, 11, "onehot", 0, 1, 1, false,
        30, WORDS.length, WORDS.length, 1);
    Path out = tmp.resolve("diverged");
    try (RankerModel model = RankerModel.create(de(), 7)) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> trainer(model, s, null, out).run(false));
      assertTrue(e.getMessage().matches("training diverged at step \\d+ of 30: the (loss|gradient norm) is"
          + " (NaN|Infinity).*; lower the learning rate \\(1\\.00e\\+30 at its peak\\).*; the last checkpoint"
          + " \\(.*checkpoint\\) is kept"), e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
    }
    assertTrue(Files.isRegularFile(out.resolve("checkpoint/" + RankerModel.WEIGHTS)), "the last checkpoint is kept");
    assertFalse(Files.exists(out.resolve(Trainer.PROVENANCE)), "no model is saved");
  }

  @Test
  void aDualEncoderLearnsTheFixtureWithInBatchNegatives() throws IOException {
    try (RankerModel model = RankerModel.create(de(), 7)) {
      List<Trainer.EvalRecord> records = trainer(model, settings(60, "onehot", true, 1000), null, tmp).run(false);
      assertEquals(0, records.get(0).step());
      assertEquals(60, records.get(records.size() - 1).step());
      double before = records.get(0).mrr10();
      double after = records.get(records.size() - 1).mrr10();
      assertTrue(after > before + 0.3 && after > 0.8, "MRR@10 " + before + " -> " + after);
    }
    assertTrue(Files.isRegularFile(tmp.resolve(RankerModel.WEIGHTS)));
    assertTrue(Files.readString(tmp.resolve(Trainer.PROVENANCE)).contains("\"seed\" : 11"));
    assertFalse(Files.exists(tmp.resolve(Trainer.CHECKPOINT)), "checkpoint removed once the model is saved");
    assertEquals(2, Trainer.readMetrics(tmp.resolve(Trainer.METRICS)).size());
  }

  @Test
  void aCrossEncoderFromMiniLmLearnsTheFixture() throws IOException {
    // A random tiny cross-encoder needs thousands of steps to learn token matching through attention; the
    // pre-trained MiniLM body (the real starting point) learns it in a few dozen.
    RankerConfig config = RankerConfig.crossEncoder("all-minilm-l6-v2", "all-minilm-l6-v2",
        io.dualrank.model.PretrainedEncoder.ALL_MINILM_L6_V2.config(), 16, 48);
    try (RankerModel model = RankerModel.create(config, 7)) {
      TrainSettings s = new TrainSettings(30, 4, 3, 0, 100, 1, 1e-4f, 0.1f, 0.01f, 1.0, 11, "onehot", 0, 1, 1,
          false, 15, WORDS.length, WORDS.length, 1000);
      List<Trainer.EvalRecord> records = trainer(model, s, null, tmp).run(false);
      Trainer.EvalRecord first = records.get(0);
      Trainer.EvalRecord last = records.get(records.size() - 1);
      assertTrue(last.mrr10() > 0.9 && last.mrr10() > first.mrr10(), records.toString());
      assertTrue(last.trainLoss() < records.get(1).trainLoss(), records.toString());
    }
  }

  @Test
  void distillationFollowsTheTeacher() throws IOException {
    // The teacher prefers, for query i, the document of word i+1 (mod n) over all others.
    TeacherScores.Builder t = new TeacherScores.Builder();
    for (int i = 0; i < WORDS.length; i++) {
      for (int j = 0; j < WORDS.length; j++) {
        t.put("q" + i, "d" + j, j == i ? 5 : j == (i + 1) % WORDS.length ? 4 : 0);
      }
    }
    try (RankerModel model = RankerModel.create(de(), 7)) {
      List<Trainer.EvalRecord> r =
          trainer(model, settings(60, "m3se", false, 1000), t.build(), tmp).run(false);
      assertTrue(r.get(r.size() - 1).mrr10() > 0.8, r.toString());
    }
    assertThrows(IllegalArgumentException.class,
        () -> trainer(RankerModel.create(de(), 7), settings(2, "m3se", true, 1000), t.build(), tmp));
  }

  @Test
  void aKilledRunResumedEndsWithTheWeightsOfAnUninterruptedRun() throws IOException {
    List<String> docs = new ArrayList<>(DOCS.values());
    float[] uninterrupted;
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, settings(6, "onehot", false, 3), null, tmp.resolve("a")).run(true);
      uninterrupted = model.scoreTexts("the piano", docs);
    }
    Path out = tmp.resolve("b");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      Trainer killed = trainer(model, settings(6, "onehot", false, 3), null, out).afterStep(step -> {
        if (step == 3) {
          throw new IllegalStateException("killed");
        }
      });
      assertThrows(IllegalStateException.class, () -> killed.run(true));
    }
    assertTrue(Files.isDirectory(out.resolve(Trainer.CHECKPOINT)));
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, settings(6, "onehot", false, 3), null, out).run(true);
      assertArrayEquals(uninterrupted, model.scoreTexts("the piano", docs), 0f);
    }
    try (RankerModel saved = RankerModel.load(out)) {
      assertArrayEquals(uninterrupted, saved.scoreTexts("the piano", docs), 0f);
    }
  }
}

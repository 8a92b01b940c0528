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
import io.dualrank.model.BertConfig;
import io.dualrank.model.MatrixPrecision;
import io.dualrank.model.Pooling;
import io.dualrank.model.RankerConfig;
import io.dualrank.model.RankerModel;
import io.dualrank.model.TinyModels;
import io.dualrank.util.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
        io.dualrank.model.PretrainedEncoder.ALL_MINILM_L6_V2.config(), 16, 48, io.dualrank.model.Pooling.CLS);
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
  void bfloat16StepsTrainTheSameModelToWithinRounding() throws IOException {
    List<String> docs = new ArrayList<>(DOCS.values());
    float[][] scores = new float[2][];
    MatrixPrecision[] precisions = {MatrixPrecision.FP32, MatrixPrecision.BF16};
    for (int i = 0; i < 2; i++) {
      try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
        trainer(model, settings(6, "onehot", false, 6).withPrecision(precisions[i]), null, tmp.resolve("p" + i)).run(false);
        scores[i] = model.scoreTexts("the piano", docs);
      }
    }
    double maxDifference = 0;
    for (int d = 0; d < docs.size(); d++) {
      maxDifference = Math.max(maxDifference, Math.abs(scores[0][d] - scores[1][d]));
    }
    assertTrue(maxDifference > 0 && maxDifference < 0.05, "fp32 vs bf16 max score difference " + maxDifference);
  }

  /**
   * A batch of 4 in passes of 3 + 1 gives the gradient and loss of one pass. Without dropout (whose draws differ
   * with the passes); gradients compared, since Adam's first updates (≈ lr · sign(g)) turn rounding in tiny
   * gradients into whole steps. A pass not weighted by its share of the batch, or a pass's gradient lost, fails.
   */
  @Test
  void aBatchInPassesHasTheGradientAndLossOfOnePass() {
    BertConfig noDropout = new BertConfig(30522, 32, 2, 2, 128, 512, 2, 0f, 1e-12f);
    RankerConfig ca = RankerConfig.crossEncoder(RankerConfig.RANDOM_INIT, "all-minilm-l6-v2", noDropout, 16, 48,
        Pooling.CLS);
    List<List<float[]>> gradients = new ArrayList<>(); // per run, each parameter's gradient
    double[] losses = new double[2];
    int[] passes = {0, 3};
    for (int i = 0; i < 2; i++) {
      try (RankerModel model = RankerModel.create(ca, 3)) {
        List<ai.djl.nn.Parameter> parameters = model.parameters();
        losses[i] = trainer(model, settings(6, "onehot", false, 6).withMicroBatch(passes[i]), null,
            tmp.resolve("m" + i)).accumulateGradients(0);
        List<float[]> run = new ArrayList<>();
        for (ai.djl.nn.Parameter p : parameters) {
          try (ai.djl.ndarray.NDArray g = p.getArray().getGradient()) {
            run.add(g.toFloatArray());
          }
        }
        gradients.add(run);
      }
    }
    double norm = 0;
    double difference = 0;
    for (int k = 0; k < gradients.get(0).size(); k++) {
      float[] one = gradients.get(0).get(k);
      float[] inPasses = gradients.get(1).get(k);
      for (int j = 0; j < one.length; j++) {
        norm += Math.pow(one[j], 2);
        difference += Math.pow(one[j] - inPasses[j], 2);
      }
    }
    assertTrue(norm > 0, "no gradient: the comparison would prove nothing");
    // ||g_passes − g_one|| / ||g_one||: float rounding (sums in another order) is far below 1e-4, a bug near 1.
    assertTrue(Math.sqrt(difference / norm) < 1e-4, "relative gradient difference " + Math.sqrt(difference / norm));
    assertEquals(losses[0], losses[1], 1e-6 * Math.abs(losses[0]));
  }

  @Test
  void aCrossSegmentWarmupChangesTheStepsOnlyAndTheModelEndsWithFullAttention() throws IOException {
    List<String> docs = new ArrayList<>(DOCS.values());
    float[][] scores = new float[2][];
    for (int warmup = 0; warmup < 2; warmup++) {
      Path out = tmp.resolve("w" + warmup);
      try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
        trainer(model, settings(6, "onehot", false, 6).withCrossSegmentWarmup(warmup * 4), null, out).run(false);
        scores[warmup] = model.scoreTexts("the piano", docs);
      }
      try (RankerModel saved = RankerModel.load(out)) {
        assertArrayEquals(scores[warmup], saved.scoreTexts("the piano", docs), 0f,
            "the model in memory has plain self-attention after training, as the saved one");
      }
    }
    assertFalse(java.util.Arrays.equals(scores[0], scores[1]), "the damped steps trained another model");
  }

  /** In each precision (bf16 steps on any CPU: PyTorch emulates where the CPU lacks bf16). */
  @ParameterizedTest
  @EnumSource(value = MatrixPrecision.class, names = {"FP32", "BF16"})
  void aKilledRunResumedEndsWithTheWeightsOfAnUninterruptedRun(MatrixPrecision precision) throws IOException {
    List<String> docs = new ArrayList<>(DOCS.values());
    TrainSettings s = settings(6, "onehot", false, 3).withPrecision(precision);
    float[] uninterrupted;
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, s, null, tmp.resolve("a" + precision)).run(true);
      uninterrupted = model.scoreTexts("the piano", docs);
    }
    Path out = tmp.resolve("b" + precision);
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      Trainer killed = trainer(model, s, null, out).afterStep(step -> {
        if (step == 3) {
          throw new IllegalStateException("killed");
        }
      });
      assertThrows(IllegalStateException.class, () -> killed.run(true));
    }
    assertTrue(Files.isDirectory(out.resolve(Trainer.CHECKPOINT)));
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, s, null, out).run(true);
      assertArrayEquals(uninterrupted, model.scoreTexts("the piano", docs), 0f);
    }
    try (RankerModel saved = RankerModel.load(out)) {
      assertArrayEquals(uninterrupted, saved.scoreTexts("the piano", docs), 0f);
    }
  }

  @Test
  void aResumedRunRecordsTheWholeHistoryOnceAndTheTimeOfEveryPart() throws IOException {
    // Evaluations at 0, 4, 8 and a checkpoint every 3 steps: the kill after step 6 (checkpoint at 6) loses the
    // evaluation at 8 and leaves the loss of steps 5 and 6 in the checkpoint.
    TrainSettings s = new TrainSettings(8, 4, 3, 0, 100, 1, 1e-3f, 0.1f, 0.01f, 1.0, 11, "onehot", 0, 1, 1, false,
        4, WORDS.length, WORDS.length, 3);
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, s, null, tmp.resolve("a")).run(true);
    }
    List<Trainer.EvalRecord> uninterrupted = Trainer.readMetrics(tmp.resolve("a").resolve(Trainer.METRICS));
    Path out = tmp.resolve("b");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      Trainer killed = trainer(model, s, null, out).afterStep(step -> {
        if (step == 6) {
          throw new IllegalStateException("killed");
        }
      });
      assertThrows(IllegalStateException.class, () -> killed.run(true));
    }
    // The first part took 1000 s (as if on a slow machine): the total must count it.
    Path state = out.resolve(Trainer.CHECKPOINT).resolve(Trainer.PROGRESS);
    String recorded = Files.readString(state);
    Files.writeString(state, recorded.replaceFirst("\"seconds\":[0-9.eE-]+", "\"seconds\":1000.0"));
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trainer(model, s, null, out).run(true);
    }
    List<Trainer.EvalRecord> resumed = Trainer.readMetrics(out.resolve(Trainer.METRICS));
    assertEquals(uninterrupted, resumed, "the same history, each evaluation once, the same mean losses");
    assertEquals(List.of(0, 4, 8), resumed.stream().map(Trainer.EvalRecord::step).toList());
    long seconds = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve(Trainer.PROVENANCE).toFile())
        .get("trainingSeconds").asLong();
    assertTrue(seconds >= 1000 && seconds < 1300, "trainingSeconds sums the parts: " + seconds);
  }

  @Test
  void aFinishedModelDirectoryHoldsNoTemporaryFileOfAKilledRun() throws IOException {
    Path out = tmp.resolve("m");
    Files.createDirectories(out.resolve(".checkpoint.tmp-4242"));
    Files.writeString(out.resolve(".checkpoint.tmp-4242").resolve("model.params"), "half");
    Files.writeString(out.resolve(".model.params.987654.tmp"), "half-written by a killed run");
    Files.writeString(out.resolve(".metrics.jsonl.55.tmp"), "{");
    try (RankerModel model = RankerModel.create(de(), 7)) {
      trainer(model, settings(2, "onehot", false, 1000), null, out).run(true);
    }
    try (var files = Files.list(out)) {
      assertEquals(List.of(RankerModel.CONFIG, Trainer.METRICS, RankerModel.WEIGHTS, Trainer.PROVENANCE,
          RankerModel.TOKENIZER), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aRunIntoADirectoryAnotherRunTrainsIntoFailsNamingTheHolder() throws Exception {
    Path out = tmp.resolve("shared");
    try (RankerModel model = RankerModel.create(de(), 7)) {
      try (DirectoryLock first = DirectoryLock.acquire(out, "training run")) {
        DirectoryLock.HeldException held = assertThrows(DirectoryLock.HeldException.class,
            () -> trainer(model, settings(2, "onehot", false, 1000), null, out).run(false));
        assertTrue(held.getMessage().startsWith(out + " is in use by another training run (training run by process "),
            held.getMessage());
        assertFalse(Files.exists(out.resolve(Trainer.METRICS)), "the second run wrote nothing");
      }
      assertEquals(2, trainer(model, settings(2, "onehot", false, 1000), null, out).run(false).size(),
          "once the first run ends, the directory is free");
    }
    assertFalse(Files.exists(out.resolve(DirectoryLock.FILE)), "the lock file goes with the lock");
  }

  @Test
  void aResumeWithOtherSettingsOrDataIsRefusedNamingWhatChanged() throws IOException {
    Path out = tmp.resolve("r");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      Trainer killed = trainer(model, settings(6, "onehot", false, 3), null, out)
          .dataInputs(Map.of("train qrels q.txt", "aaaa")).afterStep(step -> {
            if (step == 3) {
              throw new IllegalStateException("killed");
            }
          });
      assertThrows(IllegalStateException.class, () -> killed.run(true));
    }
    TrainSettings otherLr = new TrainSettings(6, 4, 3, 0, 100, 1, 5e-4f, 0.1f, 0.01f, 1.0, 11, "onehot", 0, 1, 1,
        false, 6, WORDS.length, WORDS.length, 3);
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> trainer(model, otherLr, null,
          out).dataInputs(Map.of("train qrels q.txt", "aaaa")).run(true));
      assertTrue(lr.getMessage().contains("settings.learningRate was 0.001, now 5.0E-4"), lr.getMessage());
      IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
          () -> trainer(model, settings(6, "onehot", false, 3), null, out)
              .dataInputs(Map.of("train qrels q.txt", "bbbb")).run(true));
      assertTrue(data.getMessage().contains("holds work made from other inputs: train qrels q.txt was aaaa, now bbbb"),
          data.getMessage());
      assertFalse(data.getMessage().contains("settings."), "only what changed is named: " + data.getMessage());
      Files.delete(out.resolve(Trainer.CHECKPOINT).resolve(Trainer.INPUTS)); // a checkpoint of an older build
      IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
          () -> trainer(model, settings(6, "onehot", false, 3), null, out)
              .dataInputs(Map.of("train qrels q.txt", "aaaa")).run(true));
      assertTrue(old.getMessage().contains("no record of the inputs it was made from"), old.getMessage());
    }
    assertFalse(Files.exists(out.resolve(RankerModel.WEIGHTS)), "no refused resume trained");
  }
}

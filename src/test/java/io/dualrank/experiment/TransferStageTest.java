package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.ToyDataset;
import io.dualrank.data.Dataset;
import io.dualrank.model.MatrixPrecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-shot transfer stages on the toy dataset: adding {@code transfer:} to a config leaves every stage of
 * the study as it was (a running study resumes with the new code), every model re-ranks each set in a cached
 * stage of its own, and a set equal to the study's own test split gives the study's test figures.
 */
class TransferStageTest {
  @TempDir Path tmp;

  /**
   * The stage folders of {@link #config} without transfer sets, as the code before transfer sets (commit
   * 47998b5) named them: a changed key here means a resumed study would redo its stages. (They depend on the
   * toy data and on how models and settings are serialised, so a change there also changes them.)
   */
  private static final List<String> STAGES_BEFORE_TRANSFER = List.of("bm25-42cb66b5e801", "ca-e4f51563c121",
      "capacity-8e74738bf43c", "capacity-scores-05ad3cd1b983", "de-mse-1fa96da5a5c6", "de-onehot-a9b634233bcf",
      "de-onehot-inbatch-96ccda668d8d", "de-onehot-k4-97f278aad868", "eval-ca-91b791b2a83a",
      "eval-de-mse-61e091cae262", "eval-de-onehot-c8f3a115aedb", "eval-de-onehot-inbatch-33d265924d4e",
      "eval-de-onehot-k4-2fc7ee6bb14b", "teacher-scores-19320f0763ce");

  /** The toy data, its queries sharing the words "short text on" with every passage so that BM25 ranks them all. */
  private Path data() throws IOException {
    Path root = ToyDataset.writeData(tmp.resolve("data"));
    Path queries = root.resolve("toy/queries.tsv");
    Files.writeString(queries, Files.readString(queries).replace("tell me about the", "a short text on"));
    ToyDataset.writeDefinition(root.resolve("toy.yaml"));
    Files.writeString(root.resolve("toy-bm25.yaml"), Files.readString(root.resolve("toy.yaml"))
        .replace(", candidates: [toy/run.trec]", ""));
    return root;
  }

  /** The toy study on toy-bm25 (BM25 made here, top 6), with the given transfer sets. */
  private static ExperimentConfig config(Path root, List<ExperimentConfig.Transfer> transfer) {
    var teacher = new ExperimentConfig.Model(8, 24, "cls", false, 1, false, 2, 2, 2, 0, 1e-3f, 0.1f, null, false, 0,
        null, null, null, null, null);
    var student = new ExperimentConfig.Model(8, 24, "mean", false, 1, false, 2, 2, 2, 0, 1e-3f, 0.1f, null, false, 0,
        null, null, null, null, null);
    return new ExperimentConfig("toy", root.resolve("toy-bm25.yaml").toString(), 5, "bm25",
        new ExperimentConfig.Bm25(0.9f, 0.4f, "flat"), 6, 6, 0, 0, "random:1x16x2", teacher, student,
        List.of("onehot", "mse"), true, new ExperimentConfig.Distillation(1, 1, 0),
        new ExperimentConfig.Evaluation(2, 2, 6, 4), new ExperimentConfig.Capacity(List.of(1, 2), 2, 4, 5, 0.05, "mse"),
        List.of(4), transfer, List.of());
  }

  private ReproductionPipeline.Outcome reproduce(Path root, List<ExperimentConfig.Transfer> transfer)
      throws IOException {
    return reproduce(root, transfer, MatrixPrecision.FP32);
  }

  private ReproductionPipeline.Outcome reproduce(Path root, List<ExperimentConfig.Transfer> transfer,
      MatrixPrecision scoring) throws IOException {
    ExperimentConfig cfg = config(root, transfer);
    assertEquals(List.of(), cfg.problems());
    return new ReproductionPipeline(cfg, Dataset.named(cfg.dataset(), root), tmp.resolve("work"), "test",
        MatrixPrecision.FP32, scoring).run();
  }

  /** When a stage of the toy study was marked done. */
  private java.nio.file.attribute.FileTime finished(String stage) throws IOException {
    return Files.getLastModifiedTime(tmp.resolve("work/toy").resolve(stage).resolve(StageCache.DONE));
  }

  private List<String> stages() throws IOException {
    try (Stream<Path> s = Files.list(tmp.resolve("work/toy"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void transferSetsAddStagesOfTheirOwnAndChangeNoStageOfTheStudy() throws IOException {
    Path root = data();
    ReproductionPipeline.Outcome before = reproduce(root, List.of());
    assertEquals(STAGES_BEFORE_TRANSFER, stages(), "the study's stage keys are those of the code before transfer");
    assertEquals(List.of(), before.transfers());
    assertTrue(finished("eval-de-onehot-c8f3a115aedb").compareTo(finished("teacher-scores-19320f0763ce")) < 0,
        "the one-hot student, which needs no teacher scores, is trained and evaluated before they are computed");

    var own = new ExperimentConfig.Transfer(root.resolve("toy-bm25.yaml").toString(), "test", 6, null, null);
    var shipped = new ExperimentConfig.Transfer(root.resolve("toy.yaml").toString(), "train", 3, null, null);
    ReproductionPipeline.Outcome after = reproduce(root, List.of(own, shipped));
    List<String> computed = after.stages().computed();
    assertTrue(computed.stream().allMatch(s -> s.startsWith("transfer-")), "only transfer stages run: " + computed);
    List<String> models = List.of("ca", "de-onehot", "de-mse", "de-onehot-inbatch", "de-onehot-k4");
    assertEquals(1 + 2 * models.size(), computed.size(), "a BM25 stage for toy-bm25 (none for the shipped runs of"
        + " toy) and one stage per model and set: " + computed);
    assertTrue(computed.stream().anyMatch(s -> s.startsWith("transfer-toy-bm25-test-bm25-")), computed.toString());
    assertEquals(STAGES_BEFORE_TRANSFER, stages().stream().filter(s -> !s.startsWith("transfer-")).toList());

    // the study's own test split as a transfer set: the same BM25 candidates and re-ranking, so the same figures
    var same = after.transfers().get(0);
    assertEquals("toy-bm25-test", same.set().name());
    assertEquals(1 + models.size(), same.models().size());
    for (ReproductionPipeline.TransferModel m : same.models()) {
      var inDomain = after.models().stream().filter(r -> r.name().equals(m.name())).findFirst().orElseThrow();
      assertEquals(inDomain.test().queryIds(), m.result().queryIds(), m.name());
      for (var measure : ReproductionPipeline.MEASURES) {
        assertEquals(inDomain.test().mean(measure), m.result().mean(measure), 1e-12, m.name() + " " + measure);
      }
    }

    // toy's shipped run ranks p0..p5 for every query; train query qi's relevant passage pi is at rank i + 1, so
    // in the top 3: reciprocal ranks 1, 1/2, 1/3, 0 and nDCG@10 1, 1/log2(3), 1/2, 0
    var runs = after.transfers().get(1);
    assertEquals("toy-train", runs.set().name());
    var bm25 = runs.models().get(0);
    assertEquals("bm25", bm25.name());
    assertEquals(List.of(root.resolve("toy/run.trec")), bm25.runFiles());
    assertEquals((1 + 1 / 2.0 + 1 / 3.0) / 4, bm25.result().mean(ReproductionPipeline.MRR10), 1e-9);
    assertEquals((1 + 1 / (Math.log(3) / Math.log(2)) + 0.5) / 4, bm25.result().mean(ReproductionPipeline.NDCG10),
        1e-9);
    for (ReproductionPipeline.TransferModel m : runs.models()) {
      assertEquals(4, m.run().queryIds().size(), m.name());
      m.run().queryIds().forEach(q -> assertEquals(3, m.run().ranking(q).size(), m.name() + " re-ranks the top 3"));
    }

    Path report = tmp.resolve("report");
    new Report(after, report, "test").write();
    String md = Files.readString(report.resolve("README.md"));
    assertTrue(md.contains("## Zero-shot transfer") && md.contains("### toy-bm25-test") && md.contains("### toy-train"),
        md);
    assertTrue(md.contains("Best distilled student in-domain: `de-mse`"), md);
    Map<String, Double> figures = new Report(after, tmp.resolve("report2"), "test").figures();
    assertEquals(bm25.result().mean(ReproductionPipeline.MRR10), figures.get("transfer/toy-train/bm25/recip_rank_cut_10"));
    for (String model : models) {
      assertEquals(figures.get(model + "/test/ndcg_cut_10"), figures.get("transfer/toy-bm25-test/" + model
          + "/ndcg_cut_10"), 1e-12, model);
    }

    assertEquals(List.of(), reproduce(root, List.of(own, shipped)).stages().computed(), "a rerun computes nothing");
  }

  /**
   * Scoring in bf16 gives every stage that scores with a model a key of its own (the evaluations, the teacher's
   * scores and the student distilled from them, the capacity matrix and its sweep) and reuses the rest; the
   * teacher's bf16 scores stay close to its float32 ones.
   */
  @Test
  void scoringPrecisionKeysTheStagesThatScoreAndReusesTheOthers() throws IOException {
    Path root = data();
    ReproductionPipeline.Outcome fp32 = reproduce(root, List.of());
    assertEquals(STAGES_BEFORE_TRANSFER, stages(), "fp32 scoring keeps every key");
    ReproductionPipeline.Outcome bf16 = reproduce(root, List.of(), MatrixPrecision.BF16);
    assertEquals(MatrixPrecision.BF16, bf16.scoringPrecision());
    assertEquals(List.of("capacity", "capacity-scores", "de-mse", "eval-ca", "eval-de-mse", "eval-de-onehot",
        "eval-de-onehot-inbatch", "eval-de-onehot-k4", "teacher-scores"),
        bf16.stages().computed().stream().map(s -> s.substring(0, s.lastIndexOf('-'))).sorted().toList());
    List<String> all = stages();
    assertTrue(all.containsAll(STAGES_BEFORE_TRANSFER), "the fp32 stages are kept: " + all);
    assertEquals(STAGES_BEFORE_TRANSFER.size() + 9, all.size(), all.toString());

    String fp32Scores = STAGES_BEFORE_TRANSFER.stream().filter(s -> s.startsWith("teacher-scores-")).findFirst()
        .orElseThrow();
    String bf16Scores = all.stream().filter(s -> s.startsWith("teacher-scores-") && !s.equals(fp32Scores))
        .findFirst().orElseThrow();
    var exact = io.dualrank.data.TeacherScores.read(tmp.resolve("work/toy").resolve(fp32Scores).resolve("scores.txt"));
    var low = io.dualrank.data.TeacherScores.read(tmp.resolve("work/toy").resolve(bf16Scores).resolve("scores.txt"));
    assertEquals(exact.queryIds(), low.queryIds());
    double largest = 0;
    double worst = 0;
    for (String q : exact.queryIds()) {
      for (var e : exact.scores(q).entrySet()) {
        largest = Math.max(largest, Math.abs(e.getValue()));
        worst = Math.max(worst, Math.abs(e.getValue() - low.scores(q).get(e.getKey())));
      }
    }
    assertTrue(worst > 0, "bf16 products round: the scores differ");
    assertTrue(worst < 0.02 * largest, "bf16 scores within 2% of the largest |score| " + largest + ": " + worst);
    assertEquals(fp32.models().size(), bf16.models().size());
  }
}

package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped experiment configs parse, and a malformed one is an error naming its file and line. */
class ExperimentConfigTest {
  @TempDir Path tmp;

  @Test
  void everyShippedConfigParsesAndNamesItsStudy() throws Exception {
    List<Path> configs;
    try (Stream<Path> s = Files.list(Path.of("experiments"))) {
      configs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(configs.size() >= 2, "configs: " + configs);
    for (Path file : configs) {
      ExperimentConfig c = ExperimentConfig.read(file);
      assertEquals(file.getFileName().toString().replace(".yaml", ""), c.name(), file.toString());
      assertFalse(c.losses().isEmpty(), file + " compares no loss");
      assertTrue(c.capacity().documents() >= c.capacity().queries(), file + ": the capacity pool is smaller than "
          + "the query sample, so the matrix's rank is bounded by the pool, not the queries");
      assertFalse(c.expected().isEmpty(), file + " checks no figure");
      assertEquals(c.name() + "-quick", c.quick().name());
    }
  }

  @Test
  void anUnknownKeyNamesTheFileAndLine() throws Exception {
    assertUnknownKeyReported("trainDepth:", "trainDepht:", "trainDepht");
    assertUnknownKeyReported("documents: 256", "docs: 256", "docs");
  }

  @Test
  void aMissingSettingIsNamed() throws Exception {
    Path file = tmp.resolve("missing.yaml");
    Files.writeString(file, Files.readString(Path.of("experiments/msmarco-dl.yaml")).replace("documents: 256, ", ""));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("capacity") && e.getMessage().contains("documents"), e.getMessage());
  }

  @Test
  void aNameThatIsNoSimpleFileNameIsRejected() throws Exception {
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    long line = good.lines().takeWhile(l -> !l.startsWith("name:")).count() + 1;
    for (String name : List.of("../../x", "a/b", "..", ".hidden", "/tmp/x")) {
      Path file = tmp.resolve("named.yaml");
      Files.writeString(file, good.replace("name: msmarco-dl", "name: '" + name + "'"));
      InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file), name);
      assertEquals(line, e.line(), e.getMessage());
      assertTrue(e.getMessage().contains("a name that is a simple file name") && e.getMessage().contains(name),
          e.getMessage());
    }
  }

  @Test
  void aKeyGivenTwiceIsAnError() throws Exception {
    Path file = tmp.resolve("twice.yaml");
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Files.writeString(file, good.replace("trainDepth: 100", "trainDepth: 100\ntrainDepth: 10"));
    long line = good.lines().takeWhile(l -> !l.startsWith("trainDepth:")).count() + 2;
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("Duplicate field 'trainDepth'"), e.getMessage());
  }

  @Test
  void onlyTheTeacherMayBeAReadyModel() throws Exception {
    Path file = tmp.resolve("ready-student.yaml");
    Files.writeString(file, Files.readString(Path.of("experiments/msmarco-dl.yaml"))
        .replaceFirst("(?m)^student:.*$", "student:\n  model: /models/de"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("student.model: only the teacher can be a ready model"), e.getMessage());
  }

  private Path variant(String name, String from, String to) throws Exception {
    Path file = tmp.resolve(name);
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    assertTrue(good.contains(from), from);
    Files.writeString(file, good.replace(from, to));
    return file;
  }

  @Test
  void expectedFiguresAndLearnedDimensionsMayBeLeftOut() throws Exception {
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Path file = tmp.resolve("none.yaml");
    Files.writeString(file, good.substring(0, good.indexOf("expected:")).replace("learnedDimensions: [8, 32, 128]\n", ""));
    ExperimentConfig c = ExperimentConfig.read(file);
    assertEquals(List.of(), c.expected());
    assertEquals(List.of(), c.learnedDimensions());
    assertEquals(List.of(), c.quick().expected(), "the quick profile of a config without expected figures");
    Path empty = tmp.resolve("empty.yaml");
    Files.writeString(empty, good.replace("learnedDimensions: [8, 32, 128]", "learnedDimensions: []")
        .replaceAll("  - \\{figure: de-onehot-k128/.*\n", ""));
    assertEquals(List.of(), ExperimentConfig.read(empty).learnedDimensions());
    InputFormatException stale = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(
        variant("stale.yaml", "learnedDimensions: [8, 32, 128]", "learnedDimensions: []")));
    assertTrue(stale.getMessage().contains("found 'de-onehot-k128/test/ndcg_cut_10'"),
        "an expected figure of a model the config no longer trains: " + stale.getMessage());
  }

  @Test
  void segmentCosineIsATeacherSettingOffByDefault() throws Exception {
    assertFalse(ExperimentConfig.read(Path.of("experiments/msmarco-dl.yaml")).teacher().segmentCosine());
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Path on = tmp.resolve("on.yaml");
    Files.writeString(on, good.replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  segmentCosine: true\n"));
    ExperimentConfig c = ExperimentConfig.read(on);
    assertTrue(c.teacher().segmentCosine());
    assertFalse(c.student().segmentCosine());
    assertTrue(c.quick().teacher().segmentCosine(), "the quick profile keeps the teacher's head");
    assertEquals(0, c.teacher().crossSegmentWarmup());
    Path warm = tmp.resolve("warm.yaml");
    Files.writeString(warm, good.replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  crossSegmentWarmup: 200\n"));
    assertEquals(200, ExperimentConfig.read(warm).teacher().crossSegmentWarmup());
    assertEquals(16, ExperimentConfig.read(warm).quick().teacher().crossSegmentWarmup(), "within the quick steps");
    Path body = tmp.resolve("body.yaml");
    Files.writeString(body, good.replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  encoder: e5-small-v2\n"));
    assertEquals("e5-small-v2", ExperimentConfig.read(body).teacher().encoder());
    assertEquals(null, ExperimentConfig.read(body).quick().teacher().encoder(), "quick: every model tiny and random");
    Path badBody = tmp.resolve("bad-body.yaml");
    Files.writeString(badBody, good.replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  encoder: gpt-7\n"));
    InputFormatException unknown = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(badBody));
    assertTrue(unknown.getMessage().contains("teacher.encoder: "), unknown.getMessage());
    Path student = tmp.resolve("student.yaml");
    int studentAt = good.indexOf("student:");
    Files.writeString(student, good.substring(0, studentAt) + good.substring(studentAt)
        .replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  segmentCosine: true\n"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(student));
    assertTrue(e.getMessage().contains("student.segmentCosine: a CA head"), e.getMessage());
  }

  @Test
  void onlyATrainedTeacherMayStartFromAnotherStudy() throws Exception {
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    String start = "\n  warmup: 0.1\n  startFrom: experiments/squad.yaml\n";
    Path warm = tmp.resolve("warm.yaml");
    Files.writeString(warm, good.replaceFirst("\n  warmup: 0.1\n", start));
    ExperimentConfig c = ExperimentConfig.read(warm);
    assertEquals("experiments/squad.yaml", c.teacher().startFrom());
    assertEquals("experiments/squad.yaml", c.quick().teacher().startFrom(), "quick: from the other's quick teacher");
    Path ready = tmp.resolve("ready.yaml");
    Files.writeString(ready, good.replaceFirst("\n  warmup: 0.1\n", start + "  model: /models/ca\n"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(ready));
    assertTrue(e.getMessage().contains("teacher.startFrom: a ready teacher (model) is not trained"), e.getMessage());
    Path student = tmp.resolve("student.yaml");
    int studentAt = good.indexOf("student:");
    Files.writeString(student, good.substring(0, studentAt) + good.substring(studentAt)
        .replaceFirst("\n  warmup: 0.1\n", start));
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(student));
    assertTrue(e.getMessage().contains("student.startFrom: the teacher's"), e.getMessage());
  }

  @Test
  void onlyATrainedTeacherMayHaveItsOwnLargerTrainSample() throws Exception {
    String good = Files.readString(Path.of("experiments/squad.yaml")); // maxTrainQueries: 2400
    String own = "\n  warmup: 0.1\n  maxTrainQueries: %d\n";
    Path all = tmp.resolve("all.yaml");
    Files.writeString(all, good.replaceFirst("\n  warmup: 0.1\n", String.format(own, 0)));
    ExperimentConfig c = ExperimentConfig.read(all);
    assertEquals(0, c.teacher().maxTrainQueries());
    assertEquals(null, c.student().maxTrainQueries());
    assertEquals(2 * c.quick().maxTrainQueries(), c.quick().teacher().maxTrainQueries(), "quick: twice the students'");
    assertEquals(null, ExperimentConfig.read(Path.of("experiments/squad.yaml")).quick().teacher().maxTrainQueries());

    Path fewer = tmp.resolve("fewer.yaml");
    Files.writeString(fewer, good.replaceFirst("\n  warmup: 0.1\n", String.format(own, 2400)));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(fewer));
    assertTrue(e.getMessage().contains("teacher.maxTrainQueries: 0 (all) or more than the study's maxTrainQueries"
        + " (2400)"), e.getMessage());
    Path allStudy = tmp.resolve("all-study.yaml");
    Files.writeString(allStudy, good.replace("maxTrainQueries: 2400 ", "maxTrainQueries: 0 ")
        .replaceFirst("\n  warmup: 0.1\n", String.format(own, 5000)));
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(allStudy));
    assertTrue(e.getMessage().contains("which must then be a sample"), e.getMessage());
    Path ready = tmp.resolve("ready.yaml");
    Files.writeString(ready, good.replaceFirst("\n  warmup: 0.1\n", String.format(own, 0) + "  model: /models/ca\n"));
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(ready));
    assertTrue(e.getMessage().contains("teacher.maxTrainQueries: a ready teacher (model) is not trained"),
        e.getMessage());
    Path student = tmp.resolve("student.yaml");
    int studentAt = good.indexOf("student:");
    Files.writeString(student, good.substring(0, studentAt) + good.substring(studentAt)
        .replaceFirst("\n  warmup: 0.1\n", String.format(own, 0)));
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(student));
    assertTrue(e.getMessage().contains("student.maxTrainQueries: the teacher's"), e.getMessage());
  }

  @Test
  void aMicroBatchSplitsTheBatchAndIsRefusedWhereInBatchNegativesNeedTheWholeBatch() throws Exception {
    String good = Files.readString(Path.of("experiments/squad.yaml")); // batch 8, inBatchOnehot: true
    String passes = "\n  warmup: 0.1\n  microBatch: %d\n";
    assertEquals(0, ExperimentConfig.read(Path.of("experiments/squad.yaml")).teacher().microBatch(), "absent = 0");
    Path teacher = tmp.resolve("teacher.yaml");
    Files.writeString(teacher, good.replaceFirst("\n  warmup: 0.1\n", String.format(passes, 4)));
    ExperimentConfig c = ExperimentConfig.read(teacher);
    assertEquals(4, c.teacher().microBatch());
    assertEquals(0, c.student().microBatch());
    assertEquals(2, c.quick().teacher().microBatch(), "quick: passes of 2 of its 4 queries, so passes are tested");
    Path tooMany = tmp.resolve("too-many.yaml");
    Files.writeString(tooMany, good.replaceFirst("\n  warmup: 0.1\n", String.format(passes, 9)));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(tooMany));
    assertTrue(e.getMessage().contains("teacher.microBatch: 0 (the whole batch) to batch (8), found 9"),
        e.getMessage());
    int studentAt = good.indexOf("student:");
    String student = good.substring(0, studentAt) + good.substring(studentAt)
        .replaceFirst("\n  warmup: 0.1\n", String.format(passes, 4));
    Path inBatch = tmp.resolve("in-batch.yaml");
    Files.writeString(inBatch, student);
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(inBatch));
    assertTrue(e.getMessage().contains("student.microBatch: inBatchOnehot's DE needs the whole batch"), e.getMessage());
    Path noInBatch = tmp.resolve("no-in-batch.yaml");
    Files.writeString(noInBatch, student.substring(0, student.indexOf("expected:")) // some name the in-batch DE
        .replace("inBatchOnehot: true", "inBatchOnehot: false"));
    assertEquals(4, ExperimentConfig.read(noInBatch).student().microBatch());
  }

  @Test
  void capacityFiguresMayBeExpectedForTheSweepsDimensions() throws Exception {
    String good = Files.readString(Path.of("experiments/squad.yaml"));
    assertTrue(good.contains("figure: capacity/k64/error-l2"), "squad.yaml expects capacity figures");
    ExperimentConfig.read(Path.of("experiments/squad.yaml"));
    Path wrongK = tmp.resolve("wrong-k.yaml");
    Files.writeString(wrongK, good.replace("capacity/k64/error-l2", "capacity/k65/error-l2"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(wrongK));
    assertTrue(e.getMessage().contains("found 'capacity/k65/error-l2'"), e.getMessage());
    Path wrongError = tmp.resolve("wrong-error.yaml");
    Files.writeString(wrongError, good.replace("capacity/k64/error-l2", "capacity/k64/error"));
    e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(wrongError));
    assertTrue(e.getMessage().contains("capacity/kK/ERROR with K a capacity dimension"), e.getMessage());
  }

  @Test
  void aTrainFigureMayBeExpectedOnTheQuestionsTheModelTrainedOn() throws Exception {
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Path trainedOn = tmp.resolve("trained-on.yaml");
    Files.writeString(trainedOn, good.replace("de-m3se/test/ndcg_cut_10", "de-m3se/trained-on/ndcg_cut_10"));
    assertTrue(ExperimentConfig.read(trainedOn).expected().stream()
        .anyMatch(f -> f.figure().equals("de-m3se/trained-on/ndcg_cut_10")));
    Path seen = tmp.resolve("seen.yaml");
    Files.writeString(seen, good.replace("de-m3se/test/ndcg_cut_10", "de-m3se/seen/ndcg_cut_10"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(seen));
    assertTrue(e.getMessage().contains("found 'de-m3se/seen/ndcg_cut_10'"), e.getMessage());
  }

  @Test
  void everyProblemOfAConfigIsReportedWhenItIsRead() throws Exception {
    Path file = tmp.resolve("bad.yaml");
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Files.writeString(file, good.replace("losses: [onehot, softmax-kl,", "losses: [onehot, softmax_kl,")
        .replace("candidates: dataset", "candidates: bm26").replace("  steps: 150\n", "  steps: 0\n")
        .replace("de-m3se/test/ndcg_cut_10", "de-m3se/dev/ndcg_cut_10"));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    String m = e.getMessage();
    assertTrue(m.contains("found 5 problems"), m);
    assertTrue(m.contains("found 'de-softmax-kl/test/ndcg_cut_10'"), "the loss's expected figure too: " + m);
    assertTrue(m.contains("candidates: 'dataset' (the dataset's runs) or 'bm25' (made here), found 'bm26'"), m);
    assertTrue(m.contains("student: steps, batch and negatives >= 1"), m);
    assertTrue(m.contains("losses[1]: one of [onehot, softmax-kl, mse, margin-mse, m3se], found 'softmax_kl'"), m);
    assertTrue(m.contains("expected[7].figure: MODEL/SPLIT/MEASURE with MODEL one of [bm25, de-pretrained, ca,"
        + " de-onehot, de-softmax_kl, de-mse, de-margin-mse, de-m3se, de-onehot-inbatch, de-onehot-k8,"
        + " de-onehot-k32, de-onehot-k128], SPLIT one of [train, trained-on, test], MEASURE one of [ndcg_cut_10, recip_rank_cut_10,"
        + " map, recip_rank], or capacity/kK/ERROR with K a capacity dimension and ERROR one of [eckart-young,"
        + " error-raw, error-l2]; found 'de-m3se/dev/ndcg_cut_10'"), m);
    assertEquals(good.lines().takeWhile(l -> !l.startsWith("candidates:")).count() + 1, e.line(),
        "the line of the first problem");
  }

  @Test
  void theSquadAndNqStudiesTransferToSciFactAndDl19AsTheirOwnStudiesMakeTheirCandidates() throws Exception {
    assertEquals(List.of(), ExperimentConfig.read(Path.of("experiments/msmarco-dl.yaml")).transfer(), "absent: none");
    for (String study : List.of("squad", "nq")) {
      ExperimentConfig c = ExperimentConfig.read(Path.of("experiments/" + study + ".yaml"));
      assertEquals(List.of("scifact-test", "msmarco-dl-test"),
          c.transfer().stream().map(ExperimentConfig.Transfer::name).toList(), study);
      for (ExperimentConfig.Transfer t : c.transfer()) {
        ExperimentConfig own = ExperimentConfig.read(Path.of("experiments/" + t.dataset() + ".yaml"));
        assertEquals(own.rerankDepth(), t.depth(), study + " " + t.name() + ": the top the in-domain figures re-rank");
        assertEquals(0, t.maxQueries(), "every judged query");
        if ("bm25".equals(own.candidates())) {
          assertEquals(own.bm25(), t.bm25() != null ? t.bm25() : c.bm25(), study + " " + t.name());
        } else {
          assertEquals("test", t.split(), "msmarco-dl's own candidates: the shipped runs of its test split (DL19)");
        }
      }
      for (ExperimentConfig.Transfer t : c.quick().transfer()) {
        assertEquals(10, t.depth(), "quick: the quick re-ranking depth");
        assertEquals(ExperimentConfig.QUICK_TRANSFER_QUERIES, t.maxQueries(), "quick: a sample of the queries");
      }
    }
  }

  @Test
  void aBadTransferSetIsNamedWithItsFieldAndLine() throws Exception {
    String good = Files.readString(Path.of("experiments/squad.yaml"));
    String second = "  - {dataset: msmarco-dl, split: test, depth: 100}";
    long line = good.lines().takeWhile(l -> !l.equals(second)).count() + 1;
    for (var bad : List.of(
        List.of("split: test, depth: 100}", "split: dl19, depth: 100}",
            "transfer[1].split: one of [train, test] (the splits "),
        List.of("split: test, depth: 100}", "split: test, depth: 0}", "transfer[1].depth: at least 1, found 0"),
        List.of("{dataset: msmarco-dl,", "{dataset: msmarco,", "transfer[1].dataset: a dataset name"),
        List.of(", depth: 100}", "}", "transfer[1]: dataset, split and depth"),
        List.of("{dataset: msmarco-dl, split: test,", "{dataset: scifact, split: test,",
            "transfer[1]: the set scifact-test is given twice"))) {
      Path file = tmp.resolve("transfer.yaml");
      Files.writeString(file, good.replace(second, second.replace(bad.get(0), bad.get(1))));
      InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file), bad.get(1));
      assertEquals(file, e.file());
      assertTrue(e.getMessage().contains(bad.get(2)), e.getMessage());
      assertEquals(line, e.line(), e.getMessage());
    }
    Path typo = tmp.resolve("typo.yaml");
    Files.writeString(typo, good.replace(second, second.replace("depth:", "dept:")));
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(typo));
    assertTrue(e.getMessage().contains("no setting `transfer.dept` exists"), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
  }

  @Test
  void anExpectedFigureMayNameATransferSet() throws Exception {
    String good = Files.readString(Path.of("experiments/squad.yaml"));
    Path file = tmp.resolve("expected.yaml");
    Files.writeString(file, good
        + "  - {figure: transfer/msmarco-dl-test/de-mse/ndcg_cut_10, value: 0.5, tolerance: 0.1}\n");
    List<ExperimentConfig.ExpectedFigure> expected = ExperimentConfig.read(file).expected();
    assertEquals("transfer/msmarco-dl-test/de-mse/ndcg_cut_10", expected.get(expected.size() - 1).figure());
    Files.writeString(file, good
        + "  - {figure: transfer/scifact-train/de-mse/ndcg_cut_10, value: 0.5, tolerance: 0.1}\n");
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("or transfer/SET/MODEL/MEASURE with SET one of [scifact-test, msmarco-dl-test];"
        + " found 'transfer/scifact-train/de-mse/ndcg_cut_10'"), e.getMessage());
  }

  @Test
  void aSettingLeftOutIsNamedEvenWhenItIsANumber() throws Exception {
    Path file = variant("noseed.yaml", "seed: 42\n", "");
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("with the setting `seed`"), e.getMessage());
  }

  private void assertUnknownKeyReported(String key, String typo, String name) throws Exception {
    Path file = tmp.resolve("bad.yaml");
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Files.writeString(file, good.replace(key, typo));
    long line = good.lines().takeWhile(l -> !l.contains(key)).count() + 1;
    InputFormatException e = assertThrows(InputFormatException.class, () -> ExperimentConfig.read(file));
    assertEquals(file, e.file());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }
}

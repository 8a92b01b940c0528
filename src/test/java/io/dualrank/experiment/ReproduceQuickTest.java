package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.SharedData;
import io.dualrank.cli.DualRank;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick profile of the msmarco-dl study, end to end on the real data (tiny random models): every stage
 * runs, the report holds the three claims with their plots, the BM25 figures match trec_eval's, and a rerun
 * takes every stage from the cache. The main run adds two transfer sets: SciFact test (BM25 made here) and
 * msmarco-dl's own test split (DL19, its shipped runs), which must give the in-domain test figures.
 */
class ReproduceQuickTest {
  @TempDir Path tmp;

  private int reproduce(Path config, Path work, Path report, StringWriter out) {
    var cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(out, true));
    return cl.execute("reproduce", "--config", config.toString(), "--quick",
        "--data", SharedData.root().toString(), "--work", work.toString(), "--report", report.toString());
  }

  @Test
  void quickProfileRunsEveryStageAndRerunsFromTheCache() throws Exception {
    Path work = tmp.resolve("work");
    Path report = tmp.resolve("report");
    Path config = tmp.resolve("msmarco-dl.yaml");
    Files.writeString(config, Files.readString(Path.of("experiments/msmarco-dl.yaml")).replace("\nexpected:\n",
        "\ntransfer: [{dataset: scifact, split: test, depth: 100}, {dataset: msmarco-dl, split: test, depth: 100}]"
            + "\nexpected:\n"));
    StringWriter out = new StringWriter();
    assertEquals(0, reproduce(config, work, report, out), out.toString());
    assertTrue(out.toString().contains("bm25/test/ndcg_cut_10"), out.toString());

    String md = Files.readString(report.resolve("README.md"));
    for (String section : List.of("## Claim 1", "## Claim 2", "## Claim 3", "## Expected figures")) {
      assertTrue(md.contains(section), section);
    }
    Map<?, ?> figures = new ObjectMapper().readValue(report.resolve("figures.json").toFile(), Map.class);
    for (String model : List.of("bm25", "ca", "de-onehot", "de-softmax-kl", "de-mse", "de-margin-mse", "de-m3se",
        "de-onehot-inbatch", "de-onehot-k8")) {
      for (String figure : List.of("/train/ndcg_cut_10", "/test/recip_rank_cut_10")) {
        double v = ((Number) figures.get(model + figure)).doubleValue();
        assertTrue(v >= 0 && v <= 1, model + figure + " = " + v);
      }
    }
    assertEquals(0.5058, ((Number) figures.get("bm25/test/ndcg_cut_10")).doubleValue(), 5e-5);
    assertTrue(md.contains("## Zero-shot transfer") && md.contains("### scifact-test")
        && md.contains("### msmarco-dl-test"), md);
    java.util.Set<Double> scifact = new java.util.HashSet<>();
    for (String model : List.of("bm25", "ca", "de-onehot", "de-softmax-kl", "de-mse", "de-margin-mse", "de-m3se",
        "de-onehot-inbatch", "de-onehot-k8")) {
      for (String measure : List.of("ndcg_cut_10", "recip_rank_cut_10", "map", "recip_rank")) {
        double v = ((Number) figures.get("transfer/scifact-test/" + model + "/" + measure)).doubleValue();
        assertTrue(v >= 0 && v <= 1, model + " " + measure + " = " + v);
        // DL19 is msmarco-dl's own test split, re-ranked to the same quick depth 10: the in-domain test figures
        assertEquals(((Number) figures.get(model + "/test/" + measure)).doubleValue(),
            ((Number) figures.get("transfer/msmarco-dl-test/" + model + "/" + measure)).doubleValue(), 1e-12,
            model + " " + measure);
      }
      scifact.add(((Number) figures.get("transfer/scifact-test/" + model + "/ndcg_cut_10")).doubleValue());
    }
    assertTrue(scifact.size() > 2, "the models rank SciFact differently: " + scifact);
    assertTrue(md.contains("50 judged queries (a seeded sample of at most 50)"), "quick: 50 of SciFact's 300: " + md);
    for (String png : List.of("capacity.png", "curves.png", "learned-k.png", "margins-ca.png", "margins-de-m3se.png")) {
      byte[] head = Files.readAllBytes(report.resolve(png));
      assertTrue(head.length > 1000, png);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(head, 4), png);
    }

    List<Path> stages;
    try (Stream<Path> s = Files.list(work.resolve("msmarco-dl-quick"))) {
      stages = s.sorted().toList();
    }
    for (Path stage : stages) {
      assertTrue(Files.isRegularFile(stage.resolve(StageCache.DONE)), stage + " is done");
    }
    Path scoresStage = stages.stream().filter(p -> p.getFileName().toString().startsWith("capacity-scores-"))
        .findFirst().orElseThrow();
    assertEquals(12 * 24, Files.readAllLines(scoresStage.resolve("scores.txt")).size(),
        "the capacity matrix is full: 12 queries x 24 pool documents, every pair scored");
    Path capacityStage = stages.stream()
        .filter(p -> p.getFileName().toString().startsWith("capacity-") && !p.equals(scoresStage)).findFirst()
        .orElseThrow();
    Map<?, ?> capacity = new ObjectMapper().readValue(capacityStage.resolve("capacity.json").toFile(), Map.class);
    List<?> raw = (List<?>) capacity.get("raw");
    assertTrue(relativeError(raw.get(raw.size() - 1)) < relativeError(raw.get(0)),
        "k = 16 (above the rank, at most 12) fits the teacher better than k = 1: " + raw);

    Path rerunReport = tmp.resolve("report2");
    StringWriter rerun = new StringWriter();
    assertEquals(0, reproduce(config, work, rerunReport, rerun), rerun.toString());
    try (Stream<Path> s = Files.list(work.resolve("msmarco-dl-quick"))) {
      assertEquals(stages, s.sorted().toList(), "a rerun adds no stage");
    }
    assertEquals(figures, new ObjectMapper().readValue(rerunReport.resolve("figures.json").toFile(), Map.class));

    int n = stages.size();
    assertTrue(md.contains("(" + n + " of " + n + ";"), "the first run computed every stage");
    for (Path stage : stages) {
      assertTrue(md.contains(stage.getFileName().toString()), stage + " is listed as computed");
    }
    assertTrue(Files.readString(rerunReport.resolve("README.md"))
        .contains("stages computed by it: none (0 of " + n + ";"), "the rerun computed none");
  }

  private static double relativeError(Object fit) {
    Map<?, ?> r = (Map<?, ?>) fit;
    return ((Number) r.get("calibratedRmse")).doubleValue() / ((Number) r.get("teacherSpread")).doubleValue();
  }

  @Test
  void anEnsembleTeacherIsReportedAsAVariantBesideItsCa() throws Exception {
    Path config = tmp.resolve("ensemble.yaml");
    String good = Files.readString(Path.of("experiments/msmarco-dl.yaml"));
    Files.writeString(config, good.replace("name: msmarco-dl", "name: msmarco-dl-ensemble")
        .replaceFirst("\n  warmup: 0.1\n", "\n  warmup: 0.1\n  ensembleWeight: 0.4\n"));
    Path report = tmp.resolve("report");
    StringWriter out = new StringWriter();
    var cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertEquals(0, cl.execute("reproduce", "--config", config.toString(), "--quick", "--data",
        SharedData.root().toString(), "--work", tmp.resolve("work").toString(), "--report", report.toString()),
        out.toString());
    String md = Files.readString(report.resolve("README.md"));
    assertTrue(md.contains("teacher = 0.60 z(CA) + 0.40 z(pre-trained DE), a variant"), md);
    Map<?, ?> figures = new ObjectMapper().readValue(report.resolve("figures.json").toFile(), Map.class);
    double ca = ((Number) figures.get("ca/test/ndcg_cut_10")).doubleValue();
    double alone = ((Number) figures.get("ca-alone/test/ndcg_cut_10")).doubleValue();
    assertTrue(ca >= 0 && ca <= 1 && alone >= 0 && alone <= 1, ca + " " + alone);
    // the ensemble counts as trained on its CA's questions, so claim 2's split compares the DEs with it
    assertTrue(figures.containsKey("ca-alone/trained-on/ndcg_cut_10") && figures.containsKey("ca/trained-on/ndcg_cut_10"),
        figures.keySet().toString());
    String deRow = md.lines().filter(l -> l.startsWith("| `de-onehot` | ") && l.contains(" of ")).findFirst()
        .orElseThrow();
    assertFalse(deRow.endsWith("— | — | — |"), "the DE one-hot's gap is compared with the teacher's: " + deRow);
    List<Path> stages;
    try (Stream<Path> s = Files.list(tmp.resolve("work").resolve("msmarco-dl-ensemble-quick"))) {
      stages = s.toList();
    }
    Path ensemble = stages.stream().filter(p -> p.getFileName().toString().startsWith("ca-ensemble-")).findFirst()
        .orElseThrow();
    assertTrue(Files.isRegularFile(ensemble.resolve(io.dualrank.model.EnsembleModel.FILE)));
  }
}

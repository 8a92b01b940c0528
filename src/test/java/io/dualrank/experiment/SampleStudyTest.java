package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.cli.DualRank;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce} with no --config runs the embedded sample, which needs no data root: here its quick
 * profile (tiny random models), end to end, with a data root that does not exist. The report says it ran on
 * the sample and gives the full studies' commands, holds the CA-vs-DE test, MAP and MRR, links to every
 * model's runs and the stage times, and a rerun from the cache keeps the study's time as first recorded.
 */
class SampleStudyTest {
  @TempDir Path tmp;

  private String reproduce(Path report) {
    StringWriter out = new StringWriter();
    var cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(out, true));
    int rc = cl.execute("reproduce", "--quick", "--data", tmp.resolve("no-data-here").toString(), "--work",
        tmp.resolve("work").toString(), "--report", report.toString());
    assertEquals(0, rc, out.toString());
    return out.toString();
  }

  @Test
  void theDefaultStudyRunsOnTheEmbeddedSampleWithoutAnyDataRoot() throws Exception {
    Path report = tmp.resolve("report");
    String out = reproduce(report);
    assertTrue(out.contains("expected bm25/test/ndcg_cut_10"), out);
    assertTrue(out.contains("this ran on the embedded sample nq-sample"), out);
    String md = Files.readString(report.resolve("README.md"));
    assertTrue(md.startsWith("# Reproduction: nq-sample-quick"), md);
    assertTrue(md.contains("**This run used the embedded sample `nq-sample`** (shipped in the repository: 499"
        + " documents, 160 train and 60 test queries)"), md);
    assertTrue(md.contains("`bin/dualrank reproduce --config experiments/scifact.yaml`"), md);
    assertTrue(md.contains("### CA against DE one-hot (test)"), md);
    assertTrue(md.contains("| test MAP | test MRR |"), md);
    assertTrue(md.contains("candidates: BM25 made here (Lucene, k1 = 0.9, b = 0.4, flat fields)"), md);
    assertTrue(md.contains("train queries dropped from training (nothing to learn from them): 0 of 24"),
        "the quick profile's 24 train queries, not the 136 it leaves out: " + md);

    Map<?, ?> figures = new ObjectMapper().readValue(report.resolve("figures.json").toFile(), Map.class);
    for (String figure : List.of("ca/test/map", "de-onehot/train/recip_rank", "bm25/test/ndcg_cut_10")) {
      double v = ((Number) figures.get(figure)).doubleValue();
      assertTrue(v > 0 && v <= 1, figure + " = " + v);
    }
    Matcher link = Pattern.compile("\\[test\\.trec]\\(([^)]+)\\)").matcher(md);
    int links = 0;
    while (link.find()) {
      assertTrue(Files.isRegularFile(report.resolve(link.group(1))), link.group(1));
      links++;
    }
    assertEquals(6, links, "a test run linked for bm25, ca, three students and de-onehot-k8; " + md);

    Path rerun = tmp.resolve("rerun");
    reproduce(rerun);
    String again = Files.readString(rerun.resolve("README.md"));
    assertTrue(again.contains("stages computed by it: none"), again);
    assertEquals(studyTime(md), studyTime(again), "a rerun from the cache keeps the study's recorded time");
    assertTrue(again.contains("| no |") && !again.contains("| yes |"), "no stage computed by the rerun: " + again);
  }

  @Test
  void whatTheConfigAsksOfTheDatasetIsCheckedBeforeTheFirstStage() throws Exception {
    Path config = tmp.resolve("runs.yaml");
    Files.writeString(config, Files.readString(Path.of("experiments/nq-sample.yaml"))
        .replace("candidates: bm25", "candidates: dataset"));
    StringWriter err = new StringWriter();
    var cl = DualRank.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int rc = cl.execute("reproduce", "--config", config.toString(), "--work", tmp.resolve("work").toString(),
        "--report", tmp.resolve("report").toString());
    assertEquals(2, rc, err.toString());
    assertTrue(err.toString().contains("candidates: dataset, but dataset nq-sample has no candidate runs for split"
        + " train; set `candidates: bm25`"), err.toString());
    assertTrue(!Files.exists(tmp.resolve("work/nq-sample")), "no stage folder was made");
  }

  @Test
  void pValuesBelowTheirPrintedPrecisionSaySo() {
    assertEquals("< 0.0001", Report.pValue(0.00004));
    assertEquals("0.0001", Report.pValue(0.0001));
    assertEquals("0.0230", Report.pValue(0.023));
  }

  private static String studyTime(String md) {
    Matcher m = Pattern.compile("- time of the study: ([^,]+),").matcher(md);
    assertTrue(m.find(), md);
    return m.group(1);
  }
}

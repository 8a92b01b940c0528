package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dualrank eval} and {@code dualrank compare}, end to end through picocli. */
class EvalCommandsTest {
  @TempDir Path dir;
  Path qrels;
  Path runA;
  Path runB;

  /** Exit code, stdout and stderr of one invocation. */
  record Outcome(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Outcome dualrank(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @BeforeEach
  void writeFiles() throws IOException {
    qrels = Files.writeString(dir.resolve("qrels.txt"), "1 0 a 2\n1 0 b 1\n2 0 c 1\n3 0 d 1\n");
    // A: query 1 ranks b (grade 1) then a (grade 2); query 2 finds c at rank 2; query 9 is unjudged
    runA = Files.writeString(dir.resolve("a.trec"),
        "1 Q0 b 1 2.0 A\n1 Q0 a 2 1.0 A\n2 Q0 x 1 5 A\n2 Q0 c 2 4 A\n9 Q0 a 1 1 A\n");
    // B: everything relevant at rank 1
    runB = Files.writeString(dir.resolve("b.trec"), "1 Q0 a 1 2.0 B\n1 Q0 b 2 1.0 B\n2 Q0 c 1 1 B\n");
  }

  @Test
  void evalPrintsTrecEvalLines() {
    Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(),
        "-m", "recip_rank", "-m", "P.1,2", "-l", "2", "--per-query");
    assertEquals(0, o.exitCode(), o.err());
    assertEquals(List.of(
        "recip_rank            \t1\t0.5000",
        "P_1                   \t1\t0.0000",
        "P_2                   \t1\t0.5000",
        "recip_rank            \t2\t0.0000",
        "P_1                   \t2\t0.0000",
        "P_2                   \t2\t0.0000",
        "recip_rank            \tall\t0.2500",
        "P_1                   \tall\t0.0000",
        "P_2                   \tall\t0.2500"), o.lines());
  }

  @Test
  void evalDefaultsToTheReferenceMeasuresAndTakesAliases() {
    Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString());
    assertEquals(List.of("map", "recip_rank", "P_10", "recall_100", "ndcg_cut_10"),
        o.lines().stream().map(l -> l.split("\t")[0].strip()).toList());
    Outcome complete = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-m", "mrr@1", "-c");
    // level 1: query 1 relevant at rank 1, query 2 at rank 2 (cut at 1: 0), query 3 missing: 1/3
    assertEquals(List.of("recip_rank_cut_1      \tall\t0.3333"), complete.lines());
  }

  @Test
  void compareReportsMeansDifferenceAndPValues() {
    Outcome o = dualrank("compare", "--qrels", qrels.toString(), "--run", runA.toString(), "--run", runB.toString(),
        "-m", "recip_rank", "--trials", "1000", "--seed", "5");
    assertEquals(0, o.exitCode(), o.err());
    List<String> lines = o.lines();
    assertEquals("# A = " + runA + ", B = " + runB + ", randomisation: 1000 trials, seed 5", lines.get(0));
    assertEquals("measure\tqueries\tA\tB\tB-A\tt\tp_t\tp_rand", lines.get(1));
    // level 1: A has 1 and 1/2, B has 1 and 1: d = (0, 0.5), t = 0.25 / (sqrt(0.125) / sqrt(2)) = 1 with
    // 1 degree of freedom: p = 0.5; every sign assignment of d reaches |sum| = 0.5: p_rand = 1
    assertEquals(List.of("recip_rank", "2", "0.7500", "1.0000", "0.2500", "1.0000", "0.5000", "1.0000"),
        List.of(lines.get(2).split("\t")));
  }

  @Test
  void identicalRunsCompareAsEqual() {
    Outcome o = dualrank("compare", "--qrels", qrels.toString(), "--run", runA.toString(), "--run", runA.toString(),
        "-m", "ndcg@10");
    // query 1: (1 + 2/log2 3) / (2 + 1/log2 3) = 0.85972; query 2: (1/log2 3) / 1 = 0.63093
    assertEquals(List.of("ndcg_cut_10", "2", "0.7453", "0.7453", "0.0000", "0.0000", "1.0000", "1.0000"),
        List.of(o.lines().get(2).split("\t")));
  }

  @Test
  void badInputIsOneClearLineAndExitCode2() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.trec"), "1 Q0 a 1 2.0 A\n1 Q0 b 2 oops A\n");
    Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", bad.toString());
    assertEquals(2, o.exitCode());
    assertEquals("dualrank eval: " + bad + ":2: a number score, found 'oops'", o.err().strip());
    Outcome unknown = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-m", "infAP");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown measure 'infAP'; expected official"), unknown.err());
    Outcome negativeLevel = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-l", "-1");
    assertEquals(2, negativeLevel.exitCode());
    assertTrue(negativeLevel.err().contains("relevance level must be at least 0, got -1"), negativeLevel.err());
    Outcome oneRun = dualrank("compare", "--qrels", qrels.toString(), "--run", runA.toString());
    assertEquals(2, oneRun.exitCode());
    assertTrue(oneRun.err().contains("give exactly two --run files, got 1"), oneRun.err());
  }

  @Test
  void evalOnRealDataMatchesTrecEval() {
    Path dl = SharedData.root().resolve("msmarco-dl");
    Outcome o = dualrank("eval", "--qrels", dl.resolve("qrels.dl19.txt").toString(),
        "--run", dl.resolve("runs/tasb.dl19.trec").toString(), "-l", "2", "-m", "map", "-m", "ndcg_cut_10");
    // from trec_eval-reference.txt
    assertEquals(List.of("map                   \tall\t0.4050", "ndcg_cut_10           \tall\t0.7210"), o.lines());
    // the default set and the families without cut-offs hold the reference's map, P_10, recall_100, ndcg_cut_10
    Outcome all = dualrank("eval", "--qrels", dl.resolve("qrels.dl19.txt").toString(),
        "--run", dl.resolve("runs/tasb.dl19.trec").toString(), "-l", "2", "-m", "official", "-m", "recall",
        "-m", "ndcg_cut");
    assertEquals(0, all.exitCode(), all.err());
    List<String> lines = all.lines();
    assertEquals(30 + 9 + 9, lines.size());
    assertTrue(lines.contains("num_q                 \tall\t43"), lines.toString());
    for (String line : List.of("map                   \tall\t0.4050", "P_10                  \tall\t0.6372",
        "recall_100            \tall\t0.6097", "ndcg_cut_10           \tall\t0.7210")) {
      assertTrue(lines.contains(line), line + " not in " + lines);
    }
  }

  /**
   * trec_eval's default set, as it prints it with no -m. Level 1: query 1 ranks b (1) then a (2), both
   * relevant; query 2 ranks x (unjudged) then c (relevant); query 9 is unjudged and ignored. AP 1 and 1/2:
   * map 0.75, gm_map sqrt(1/2) = 0.7071; Rprec 1 and 0 (x is query 2's first, R = 1); bpref 1 and 1 (no
   * judged non-relevant document; x is skipped); recip_rank 1 and 1/2; iprec_at_recall 1 and 1/2 at every
   * level (query 2's only relevant document comes at precision 1/2); P_k (2/k + 1/k) / 2.
   */
  @Test
  void officialPrintsTrecEvalsDefaultSet() {
    Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-m", "official");
    assertEquals(0, o.exitCode(), o.err());
    List<String> expected = new java.util.ArrayList<>(List.of(
        "runid                 \tall\tA",
        "num_q                 \tall\t2",
        "num_ret               \tall\t4",
        "num_rel               \tall\t3",
        "num_rel_ret           \tall\t3",
        "map                   \tall\t0.7500",
        "gm_map                \tall\t0.7071",
        "Rprec                 \tall\t0.5000",
        "bpref                 \tall\t1.0000",
        "recip_rank            \tall\t0.7500"));
    for (String x : List.of("0.00", "0.10", "0.20", "0.30", "0.40", "0.50", "0.60", "0.70", "0.80", "0.90", "1.00")) {
      expected.add(String.format("%-22s\tall\t0.7500", "iprec_at_recall_" + x));
    }
    String[][] precision = {{"5", "0.3000"}, {"10", "0.1500"}, {"15", "0.1000"}, {"20", "0.0750"}, {"30", "0.0500"},
        {"100", "0.0150"}, {"200", "0.0075"}, {"500", "0.0030"}, {"1000", "0.0015"}};
    for (String[] p : precision) {
      expected.add(String.format("%-22s\tall\t%s", "P_" + p[0], p[1]));
    }
    assertEquals(expected, o.lines());
  }

  /**
   * The counts per query and with -c, measures printed in trec_eval's order whatever the -m order. Query 3
   * is judged (d, relevant) but not in the run: with -c it counts in num_q and num_rel and scores 0
   * (gm_map floors its AP 0 at 0.00001: exp((log 1 + log 0.5 + log 0.00001) / 3) = 0.0171).
   */
  @Test
  void countsRprecBprefAndCompleteAveraging() {
    Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-c", "-q",
        "-m", "bpref", "-m", "num_rel_ret", "-m", "gm_map", "-m", "num_q", "-m", "Rprec", "-m", "num_ret",
        "-m", "num_rel");
    assertEquals(0, o.exitCode(), o.err());
    assertEquals(List.of(
        "num_ret               \t1\t2",
        "num_rel               \t1\t2",
        "num_rel_ret           \t1\t2",
        "Rprec                 \t1\t1.0000",
        "bpref                 \t1\t1.0000",
        "num_ret               \t2\t2",
        "num_rel               \t2\t1",
        "num_rel_ret           \t2\t1",
        "Rprec                 \t2\t0.0000",
        "bpref                 \t2\t1.0000",
        "num_ret               \t3\t0",
        "num_rel               \t3\t1",
        "num_rel_ret           \t3\t0",
        "Rprec                 \t3\t0.0000",
        "bpref                 \t3\t0.0000",
        "num_q                 \tall\t3",
        "num_ret               \tall\t4",
        "num_rel               \tall\t4",
        "num_rel_ret           \tall\t3",
        "gm_map                \tall\t0.0171",
        "Rprec                 \tall\t0.3333",
        "bpref                 \tall\t0.6667"), o.lines());
  }

  /** -m with a family alone gives trec_eval's default cut-offs; -l 0 makes a grade-0 judgment relevant. */
  @Test
  void familiesWithoutCutoffsAndLevelZero() throws IOException {
    List<String> cutoffs = List.of("5", "10", "15", "20", "30", "100", "200", "500", "1000");
    for (String family : List.of("P", "recall", "ndcg_cut")) {
      Outcome o = dualrank("eval", "--qrels", qrels.toString(), "--run", runA.toString(), "-m", family);
      assertEquals(cutoffs.stream().map(k -> family + "_" + k).toList(),
          o.lines().stream().map(l -> l.split("\t")[0].strip()).toList(), family);
    }
    Path graded = Files.writeString(dir.resolve("graded.txt"), "1 0 a 0\n1 0 b 1\n");
    // query 1 ranks b (grade 1) then a (grade 0): level 1 finds 1 of 1 relevant in 2, level 0 finds 2 of 2
    Outcome level1 = dualrank("eval", "--qrels", graded.toString(), "--run", runA.toString(), "-m", "num_rel",
        "-m", "P.2");
    assertEquals(List.of("num_rel               \tall\t1", "P_2                   \tall\t0.5000"), level1.lines());
    Outcome level0 = dualrank("eval", "--qrels", graded.toString(), "--run", runA.toString(), "-m", "num_rel",
        "-m", "P.2", "-l", "0");
    assertEquals(List.of("num_rel               \tall\t2", "P_2                   \tall\t1.0000"), level0.lines());
  }

  @Test
  void helpListsTheMeasures() {
    Outcome o = dualrank("eval", "--help");
    String help = String.join(" ", o.out().split("\\s+"));
    for (String m : List.of("official", "num_q", "num_ret", "num_rel", "num_rel_ret", "gm_map", "Rprec", "bpref",
        "iprec_at_recall", "ndcg_cut", "map_cut", "recip_rank_cut")) {
      assertTrue(help.contains(m), m + " missing from: " + help);
    }
  }

  @Test
  void fuseChoosesTheWeightOnTheGivenQrelsAndWritesThatRun() throws IOException {
    // query 1: A ranks b > a, C ranks a > b (grade 2 first); both with the same documents
    Path a = Files.writeString(dir.resolve("fa.trec"), "1 Q0 b 1 3.0 A\n1 Q0 a 2 1.0 A\n");
    Path c = Files.writeString(dir.resolve("fc.trec"), "1 Q0 a 1 0.9 C\n1 Q0 b 2 0.1 C\n");
    Path out = dir.resolve("fused.trec");
    Outcome o = dualrank("fuse", "--run", a.toString(), "--run", c.toString(), "--choose-on", qrels.toString(),
        "-m", "recip_rank", "-l", "2", "--steps", "4", "--out", out.toString());
    assertEquals(0, o.exitCode(), o.err());
    // z scores are (+1, -1) in both runs, so a leads once w > 1/2, ties at w = 1/2 (docid order puts b first)
    assertEquals(List.of("weight\trecip_rank", "0.0000\t0.5000", "0.2500\t0.5000", "0.5000\t0.5000",
        "0.7500\t1.0000", "1.0000\t1.0000", "chosen\t0.7500\t1.0000"), o.lines());
    assertEquals(List.of("1 Q0 a 1 0.5 fused", "1 Q0 b 2 -0.5 fused"), Files.readAllLines(out));
    Outcome fixed = dualrank("fuse", "--run", a.toString(), "--run", c.toString(), "--weight", "0",
        "--out", out.toString());
    assertEquals(0, fixed.exitCode(), fixed.err());
    assertEquals(List.of("1 Q0 b 1 1.0 fused", "1 Q0 a 2 -1.0 fused"), Files.readAllLines(out));
    Outcome both = dualrank("fuse", "--run", a.toString(), "--run", c.toString(), "--weight", "0",
        "--choose-on", qrels.toString(), "--out", out.toString());
    assertEquals(2, both.exitCode(), "--weight and --choose-on exclude each other");
  }
}

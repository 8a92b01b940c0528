package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.SharedData;
import io.dualrank.data.QrelsReader;
import io.dualrank.data.TrecRunReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of the evaluator: every line of {@code msmarco-dl/trec_eval-reference.txt} (NIST
 * trec_eval's output for every run there, with -l 1 and -l 2) is reproduced to the printed 4 decimals.
 */
class TrecEvalReferenceTest {
  @Test
  void reproducesEveryLineOfTrecEvalOutput() throws IOException {
    Path dir = SharedData.root().resolve("msmarco-dl");
    List<String> lines = Files.readAllLines(dir.resolve("trec_eval-reference.txt"));
    List<String> mismatches = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split("\t");
      int level = Integer.parseInt(f[2].replace("-l", "").strip());
      Measure m = Measure.parse(f[3]);
      EvalResult r = new Evaluator(QrelsReader.read(dir.resolve(f[1])), level)
          .evaluate(TrecRunReader.read(dir.resolve(f[0])), m);
      String ours = TrecEvalFormat.value(r.mean(m));
      if (!ours.equals(f[4])) {
        mismatches.add(line + " -> ours " + ours);
      }
    }
    assertEquals(90, lines.size(), "reference lines (9 runs x 2 levels x 5 measures)");
    assertEquals(List.of(), mismatches);
  }

  /**
   * A UTF-8 byte-order mark before a relevant judgment (grade 3, moved to the first line) and before the
   * run's first line changes no figure: DL19 BM25 stays at trec_eval's nDCG@10 0.5058 and MAP 0.2993
   * (-l 1). Before the BOM rule the ids became "\uFEFF19335" and "\uFEFF264014": nDCG@10 0.5019 (0.5024,
   * MAP 0.2976, with the BOM in the qrels only).
   */
  @Test
  void aByteOrderMarkBeforeARelevantJudgmentChangesNoFigure(@TempDir Path tmp) throws IOException {
    Path dir = SharedData.root().resolve("msmarco-dl");
    List<String> qrels = new ArrayList<>(Files.readAllLines(dir.resolve("qrels.dl19.txt")));
    String relevant = qrels.stream().filter(l -> l.endsWith(" 3")).findFirst().orElseThrow();
    qrels.remove(relevant);
    qrels.add(0, relevant);
    Path bomQrels = Files.writeString(tmp.resolve("qrels.txt"), "\uFEFF" + String.join("\n", qrels) + "\n");
    Path bomRun = Files.writeString(tmp.resolve("run.trec"),
        "\uFEFF" + Files.readString(dir.resolve("runs/bm25.dl19.trec")));
    Measure ndcg = Measure.parse("ndcg_cut_10");
    Measure map = Measure.parse("map");
    EvalResult r = new Evaluator(QrelsReader.read(bomQrels), 1).evaluate(TrecRunReader.read(bomRun), ndcg, map);
    assertEquals("0.5058", TrecEvalFormat.value(r.mean(ndcg)));
    assertEquals("0.2993", TrecEvalFormat.value(r.mean(map)));
    assertEquals(43, r.queryIds().size());
  }
}

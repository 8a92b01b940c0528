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
}

package io.dualrank.cli;

import static io.dualrank.eval.TrecEvalFormat.value;

import io.dualrank.data.QrelsReader;
import io.dualrank.data.TrecRunReader;
import io.dualrank.eval.EvalResult;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.eval.PairedComparison;
import io.dualrank.eval.PairedTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dualrank compare}: two runs, their means, and paired significance tests. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares two TREC runs on their common judged queries: means, difference (B - A), paired t-test",
      "and sign-flip randomisation test p-values (two-sided), one tab-separated line per measure."
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "Judgments (TREC or BEIR).")
  Path qrels;

  @Option(names = "--run", required = true, paramLabel = "FILE",
      description = "TREC run file; give exactly two: A then B.")
  List<Path> runs;

  @Option(names = {"-m", "--measure"}, paramLabel = "MEASURE", description = "Measure(s), as for eval. Default: ndcg_cut_10.")
  List<String> measures = List.of("ndcg_cut_10");

  @Option(names = {"-l", "--level"}, paramLabel = "GRADE", defaultValue = "1",
      description = "Minimum grade of a relevant document (trec_eval -l). Default: ${DEFAULT-VALUE}.")
  int level;

  @Option(names = "--trials", paramLabel = "N", defaultValue = "10000",
      description = "Randomisation test trials. Default: ${DEFAULT-VALUE}.")
  int trials;

  @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
      description = "Randomisation test seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    if (runs.size() != 2) {
      throw new ParameterException(spec.commandLine(), "give exactly two --run files, got " + runs.size());
    }
    Evaluator evaluator = new Evaluator(QrelsReader.read(qrels), level);
    List<Measure> ms = Measure.parseAll(measures);
    EvalResult a = evaluator.evaluate(TrecRunReader.read(runs.get(0)), ms);
    EvalResult b = evaluator.evaluate(TrecRunReader.read(runs.get(1)), ms);
    PrintWriter out = spec.commandLine().getOut();
    out.println("# A = " + runs.get(0) + ", B = " + runs.get(1) + ", randomisation: " + trials
        + " trials, seed " + seed);
    out.println("measure\tqueries\tA\tB\tB-A\tt\tp_t\tp_rand");
    for (Measure m : ms) {
      PairedComparison c = PairedTests.compare(a, b, m, trials, seed);
      out.println(String.join("\t", m.name(), String.valueOf(c.queries()), value(c.meanA()), value(c.meanB()),
          value(c.difference()), value(c.t()), value(c.tTestP()), value(c.randomizationP())));
    }
    out.flush();
    return 0;
  }
}

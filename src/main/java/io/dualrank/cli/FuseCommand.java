package io.dualrank.cli;

import io.dualrank.data.QrelsReader;
import io.dualrank.data.Run;
import io.dualrank.data.TrecRunReader;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.retrieve.ScoreInterpolation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dualrank fuse}: the interpolation of two runs over the same candidates ({@link ScoreInterpolation}). */
@Command(
    name = "fuse",
    mixinStandardHelpOptions = true,
    description = {
      "Interpolates two runs of the same candidates, (1 - w) z_A + w z_B with each run's scores standardised",
      "per query: an ensemble of two rankers (a CA and a DE). Give the weight, or choose it on held-out",
      "queries' qrels (--choose-on): the sweep's figures are printed and the run at the best weight written."
    })
final class FuseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "TREC run file; exactly two: A then B.")
  List<Path> runs;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Weight weight;

  static final class Weight {
    @Option(names = "--weight", paramLabel = "W", description = "The weight w of run B, in [0, 1].")
    Double fixed;

    @Option(names = "--choose-on", paramLabel = "QRELS",
        description = "Choose w on these judgments (held-out queries, never test).")
    Path qrels;
  }

  @Option(names = {"-m", "--measure"}, paramLabel = "MEASURE", defaultValue = "ndcg_cut_10",
      description = "With --choose-on: the measure to maximise. Default: ${DEFAULT-VALUE}.")
  String measure;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
      description = "With --choose-on: the weights 0, 1/N, ..., 1. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = {"-l", "--level"}, paramLabel = "GRADE", defaultValue = "1",
      description = "With --choose-on: minimum grade of a relevant document (trec_eval -l). Default: ${DEFAULT-VALUE}.")
  int level;

  @Option(names = "--tag", defaultValue = "fused", description = "Run tag of the output. Default: ${DEFAULT-VALUE}.")
  String tag;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "TREC run file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (runs.size() != 2) {
      throw new ParameterException(spec.commandLine(), "give exactly two --run files, got " + runs.size());
    }
    Run a = TrecRunReader.read(runs.get(0));
    Run b = TrecRunReader.read(runs.get(1));
    double w;
    if (weight.fixed != null) {
      w = weight.fixed;
    } else {
      Measure m = Measure.parse(measure);
      var points = ScoreInterpolation.sweep(a, b, steps, new Evaluator(QrelsReader.read(weight.qrels), level), m);
      PrintWriter console = spec.commandLine().getOut();
      console.println("weight\t" + m.name());
      points.forEach(p -> console.printf(Locale.ROOT, "%.4f\t%.4f%n", p.weight(), p.value()));
      var best = ScoreInterpolation.best(points);
      console.printf(Locale.ROOT, "chosen\t%.4f\t%.4f%n", best.weight(), best.value());
      console.flush();
      w = best.weight();
    }
    TrecRunWriter.write(ScoreInterpolation.interpolate(a, b, w, tag), out);
    System.err.printf(Locale.ROOT, "fuse: w = %.4f, run written to %s%n", w, out);
    return 0;
  }
}

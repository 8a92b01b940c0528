package io.dualrank.cli;

import io.dualrank.data.QrelsReader;
import io.dualrank.data.TrecRunReader;
import io.dualrank.eval.EvalResult;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.eval.TrecEvalFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dualrank eval}: trec_eval's numbers and output lines for one run. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a TREC run against qrels exactly as NIST trec_eval 10.0 does, printing its lines:",
      "measure <TAB> qid|all <TAB> value, in trec_eval's measure order (counts as integers)."
    })
final class EvalCommand implements Callable<Integer> {
  static final List<String> DEFAULT_MEASURES = List.of("map", "recip_rank", "P_10", "recall_100", "ndcg_cut_10");

  @Spec CommandSpec spec;

  @Option(names = "--qrels", required = true, paramLabel = "FILE",
      description = "Judgments: TREC (qid iter docid grade) or BEIR TSV (with header).")
  Path qrels;

  @Option(names = "--run", required = true, paramLabel = "FILE", description = "TREC run file.")
  Path run;

  @Option(names = {"-m", "--measure"}, paramLabel = "MEASURE",
      description = {"Measure, repeatable, as trec_eval's -m: " + Measure.NAMES + ".",
          "Default: map recip_rank P_10 recall_100 ndcg_cut_10."})
  List<String> measures = DEFAULT_MEASURES;

  @Option(names = {"-l", "--level"}, paramLabel = "GRADE", defaultValue = "1",
      description = "Minimum grade of a relevant document (trec_eval -l); 0 makes every judged document "
          + "relevant. Default: ${DEFAULT-VALUE}.")
  int level;

  @Option(names = {"-q", "--per-query"}, description = "Also print each query's values.")
  boolean perQuery;

  @Option(names = {"-c", "--complete"},
      description = "Average over all judged queries; those the run lacks score 0 (trec_eval -c).")
  boolean complete;

  @Override
  public Integer call() {
    EvalResult result = new Evaluator(QrelsReader.read(qrels), level, complete)
        .evaluate(TrecRunReader.read(run), Measure.parseAll(measures));
    PrintWriter out = spec.commandLine().getOut();
    TrecEvalFormat.lines(result, perQuery).forEach(out::println);
    out.flush();
    return 0;
  }
}

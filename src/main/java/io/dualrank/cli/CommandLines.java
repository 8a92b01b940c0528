package io.dualrank.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Small helpers the commands share. */
final class CommandLines {
  private CommandLines() {}

  /** Prints a new run's trec_eval figures (nDCG@10, MRR@10, Recall@100, MAP) on stderr. */
  static void printFigures(io.dualrank.data.Qrels qrels, int relevanceLevel, io.dualrank.data.Run run) {
    var result = new io.dualrank.eval.Evaluator(qrels, relevanceLevel).evaluate(run,
        io.dualrank.eval.Measure.parseAll(java.util.List.of("ndcg_cut_10", "recip_rank_cut_10", "recall_100", "map")));
    io.dualrank.eval.TrecEvalFormat.lines(result, false).forEach(System.err::println);
  }

  /** The command as typed: {@code dualrank <subcommands> <args>}, for provenance records. */
  static String typed(CommandSpec spec) {
    StringBuilder sb = new StringBuilder(spec.root().name());
    for (String a : spec.root().commandLine().getParseResult().originalArgs()) {
      sb.append(' ').append(a);
    }
    return sb.toString();
  }
}

package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.data.Run;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.model.ScoringModel;
import io.dualrank.train.RankingTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dualrank rerank}: re-ranks a split's candidates with a trained model into a TREC run. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
    description = {"Re-ranks the top --depth candidates of each judged query of a split with a model (CA or DE)",
      "and writes a TREC run; prints its trec_eval figures."})
final class RerankCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model directory: dualrank's, a Hugging Face one, or an ONNX graph's (model.onnx + tokenizer.json).")
  Path model;

  @Option(names = "--split", defaultValue = "test",
      description = "Split whose candidates are re-ranked. Default: ${DEFAULT-VALUE}.")
  String split;

  @Mixin CandidateOptions.OneSplit candidates;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "TREC run to write.") Path out;

  @Option(names = "--tag", defaultValue = "dualrank", description = "Run tag (last column). Default: ${DEFAULT-VALUE}.")
  String tag;

  @Override
  public Integer call() throws Exception {
    Dataset ds = data.load();
    RankingTask task = candidates.load(ds, split);
    Run run;
    try (ScoringModel m = ModelLoader.scoringModel(model, precision.precision)) {
      run = m.rerank(task.testCandidates(), task.queryTexts(), task.documentTexts(), tag, true);
    }
    TrecRunWriter.write(run, out);
    CommandLines.printFigures(task.testQrels(), ds.relevanceLevel(), run);
    return 0;
  }
}

package io.dualrank.cli;

import io.dualrank.data.DataFingerprint;
import io.dualrank.data.Dataset;
import io.dualrank.model.MatrixPrecision;
import io.dualrank.model.RankerModel;
import io.dualrank.model.ScoringModel;
import io.dualrank.train.RankingTask;
import io.dualrank.train.TeacherScoring;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dualrank teacher-score}: a teacher's scores of a split's candidates (and positives), resumable. */
@Command(name = "teacher-score", mixinStandardHelpOptions = true,
    description = {"Scores each judged query's top --depth candidates, plus its relevant documents, with a",
      "teacher model (usually a trained CA) and writes `qid docid score` lines. A killed job resumes where it",
      "stopped (finished parts in OUT.parts/ are kept) when the model, the data files and the settings are the",
      "same; otherwise it refuses, naming what changed (--restart discards the parts)."})
final class TeacherScoreCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Teacher: a model directory, a Hugging Face one, or an ONNX graph's (model.onnx + tokenizer.json).")
  Path model;

  @Option(names = "--split", defaultValue = "train",
      description = "Split whose candidates are scored. Default: ${DEFAULT-VALUE}.")
  String split;

  @Mixin CandidateOptions.OneSplit candidates;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--min-grade", description = "Grade of a positive. Default: the dataset's relevance level.")
  Integer minGrade;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Scores file to write (qid docid score); a rerun resumes it.") Path out;

  @Option(names = "--queries-per-part", defaultValue = "10",
      description = "Queries scored per saved part (what a resumed run keeps). Default: ${DEFAULT-VALUE}.")
  int queriesPerPart;

  @Option(names = "--restart", description = "Discard finished parts made with other inputs instead of refusing.")
  boolean restart;

  @Override
  public Integer call() throws Exception {
    Dataset ds = data.load();
    RankingTask task = candidates.load(ds, split);
    int grade = minGrade == null ? ds.relevanceLevel() : minGrade;
    var pairs = TeacherScoring.candidatePairs(task.trainCandidates(), task.trainQrels(), grade,
        task.documentTexts().keySet());
    Map<String, String> inputs = new TreeMap<>(RankerModel.checksums(model));
    DataFingerprint files = DataFingerprint.of(ds, List.of(split));
    if (candidates.candidates != null) {
      files = files.with(split + " candidates given", candidates.candidates);
    }
    inputs.putAll(files.checksums());
    inputs.put("split", split);
    inputs.put("depth", Integer.toString(candidates.depth));
    inputs.put("minGrade", Integer.toString(grade));
    inputs.put("queriesPerPart", Integer.toString(queriesPerPart));
    if (precision.precision != MatrixPrecision.FP32) {
      inputs.put("precision", precision.precision.cliName()); // fp32 keys stay as they were
    }
    try (ScoringModel teacher = ModelLoader.scoringModel(model, precision.precision)) {
      var scores = TeacherScoring.score(teacher, pairs, task.queryTexts(), task.documentTexts(), out, queriesPerPart,
          inputs, restart);
      System.err.println("teacher-score: " + scores.size() + " pairs in " + out);
    }
    return 0;
  }
}

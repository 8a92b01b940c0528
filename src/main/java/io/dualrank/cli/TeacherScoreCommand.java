package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.model.RankerModel;
import io.dualrank.train.RankingTask;
import io.dualrank.train.TeacherScoring;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dualrank teacher-score}: a teacher's scores of a split's candidates (and positives), resumable. */
@Command(name = "teacher-score", mixinStandardHelpOptions = true,
    description = {"Scores each judged query's top --depth candidates, plus its relevant documents, with a",
      "teacher model (usually a trained CA) and writes `qid docid score` lines. A killed job resumes where it",
      "stopped (finished parts in OUT.parts/ are kept)."})
final class TeacherScoreCommand implements Callable<Integer> {
  @Mixin DatasetOptions data;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Teacher model directory.")
  Path model;

  @Option(names = "--split", defaultValue = "train",
      description = "Split whose candidates are scored. Default: ${DEFAULT-VALUE}.")
  String split;

  @Mixin CandidateOptions.OneSplit candidates;

  @Option(names = "--min-grade", description = "Grade of a positive. Default: the dataset's relevance level.")
  Integer minGrade;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Scores file to write (qid docid score); a rerun resumes it.") Path out;

  @Option(names = "--queries-per-part", defaultValue = "10",
      description = "Queries scored per saved part (what a resumed run keeps). Default: ${DEFAULT-VALUE}.")
  int queriesPerPart;

  @Override
  public Integer call() throws Exception {
    Dataset ds = data.load();
    RankingTask task = candidates.load(ds, split);
    var pairs = TeacherScoring.candidatePairs(task.trainCandidates(), task.trainQrels(),
        minGrade == null ? ds.relevanceLevel() : minGrade, task.documentTexts().keySet());
    try (RankerModel teacher = RankerModel.load(model)) {
      var scores = TeacherScoring.score(teacher, pairs, task.queryTexts(), task.documentTexts(), out, queriesPerPart);
      System.err.println("teacher-score: " + scores.size() + " pairs in " + out);
    }
    return 0;
  }
}

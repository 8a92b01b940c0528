package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.data.Run;
import io.dualrank.model.RankerModel;
import io.dualrank.train.RankingTask;
import io.dualrank.train.TeacherScoring;
import java.nio.file.Path;
import java.util.List;
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

  @Option(names = "--split", defaultValue = "train") String split;

  @Option(names = "--candidates", paramLabel = "RUN", split = ",", description = "Candidate run(s). Default: the dataset's.")
  List<Path> candidates;

  @Option(names = "--depth", defaultValue = "100") int depth;

  @Option(names = "--min-grade", description = "Grade of a positive. Default: the dataset's relevance level.")
  Integer minGrade;

  @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

  @Option(names = "--queries-per-part", defaultValue = "10") int queriesPerPart;

  @Override
  public Integer call() throws Exception {
    Dataset ds = data.load();
    Run cands = CandidateOptions.of(ds, split, candidates);
    RankingTask task = RankingTask.load(ds, split, cands, split, cands, depth);
    var pairs = TeacherScoring.candidatePairs(task.trainCandidates(), task.trainQrels(),
        minGrade == null ? ds.relevanceLevel() : minGrade, task.documentTexts().keySet());
    try (RankerModel teacher = RankerModel.load(model)) {
      var scores = TeacherScoring.score(teacher, pairs, task.queryTexts(), task.documentTexts(), out, queriesPerPart);
      System.err.println("teacher-score: " + scores.size() + " pairs in " + out);
    }
    return 0;
  }
}

package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.data.Run;
import io.dualrank.data.TrecRunReader;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Candidate runs per split: given files, else the dataset's own. */
final class CandidateOptions {
  @Option(names = "--train-candidates", paramLabel = "RUN", split = ",",
      description = "TREC run(s) of the train split's candidates. Default: the dataset's.")
  List<Path> train;

  @Option(names = "--test-candidates", paramLabel = "RUN", split = ",",
      description = "TREC run(s) of the test split's candidates. Default: the dataset's.")
  List<Path> test;

  /** The candidates of one split re-ranked or scored by a command: {@code --candidates} and {@code --depth}. */
  static final class OneSplit {
    @Option(names = "--candidates", paramLabel = "RUN", split = ",",
        description = "Candidate run(s). Default: the dataset's.")
    List<Path> candidates;

    @Option(names = "--depth", defaultValue = "100", description = "Candidates per query. Default: ${DEFAULT-VALUE}.")
    int depth;

    /** The split's judged queries with their top-{@code depth} candidates and texts (as a task's train and test). */
    io.dualrank.train.RankingTask load(Dataset dataset, String split) {
      Run run = of(dataset, split, candidates);
      return io.dualrank.train.RankingTask.load(dataset, split, run, split, run, depth);
    }
  }

  /** The candidates of {@code split}: the given files when any, else the dataset's. */
  static Run of(Dataset dataset, String split, List<Path> given) {
    if (given != null && !given.isEmpty()) {
      return TrecRunReader.read(given, io.dualrank.data.KnownIds.ANY);
    }
    return dataset.candidates(split).orElseThrow(() -> new IllegalArgumentException("dataset " + dataset.name()
        + " has no candidate run for split '" + split + "': make one with `dualrank bm25 search` and pass it"));
  }
}

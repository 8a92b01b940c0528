package io.dualrank.cli;

import io.dualrank.data.DataFingerprint;
import io.dualrank.data.Dataset;
import io.dualrank.data.TeacherScores;
import io.dualrank.model.RankerModel;
import io.dualrank.train.RankingTask;
import io.dualrank.train.TrainSettings;
import io.dualrank.train.Trainer;
import io.dualrank.util.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank train}: trains a CA or DE ranker on a dataset's train split. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a cross-attention (ca) or dual-encoder (de) ranker on query groups (one positive,",
      "hard negatives from the train candidates), with one-hot cross-entropy or, given --teacher-scores, a",
      "distillation loss. Evaluates a sample of train and test queries as it goes (metrics.jsonl), writes",
      "resumable checkpoints, and saves the model with its config, tokenizer and provenance in --out."})
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DatasetOptions data;
  @Mixin ModelOptions modelOptions;
  @Mixin CandidateOptions candidates;
  @Mixin PrecisionOptions precision;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
  Path out;

  @Option(names = "--resume", description = "Continue from --out's checkpoint if there is one.")
  boolean resume;

  @Option(names = "--train-split", defaultValue = "train",
      description = "Split to train on. Default: ${DEFAULT-VALUE}.")
  String trainSplit;
  @Option(names = "--test-split", defaultValue = "test",
      description = "Split evaluated as test. Default: ${DEFAULT-VALUE}.")
  String testSplit;

  @Option(names = "--steps", defaultValue = "500",
      description = "Optimiser updates. Default: ${DEFAULT-VALUE}.") int steps;
  @Option(names = "--batch", defaultValue = "8", description = "Query groups per step. Default: ${DEFAULT-VALUE}.")
  int batch;
  @Option(names = "--micro-batch", defaultValue = "0", description = {"Query groups per forward and backward"
      + " pass: the step's gradient is accumulated over passes, so the update is the batch's (up to rounding and"
      + " dropout's draws) in less memory; 0 = the whole batch at once. Default: ${DEFAULT-VALUE}."})
  int microBatch;
  @Option(names = "--negatives", defaultValue = "7", description = "Hard negatives per group. Default: ${DEFAULT-VALUE}.")
  int negatives;
  @Option(names = "--cross-query-negatives", defaultValue = "0", description = "Further negatives per group: other"
      + " training queries' relevant documents (one-hot loss). Default: ${DEFAULT-VALUE}.")
  int crossQueryNegatives;
  @Option(names = "--cross-segment-warmup", defaultValue = "0", paramLabel = "STEPS", description = {"CA: for the"
      + " first STEPS steps damp attention between query and document by an additive bias rising from -10 to 0,",
      "so training starts from segments encoded nearly apart; 0 for none. Default: ${DEFAULT-VALUE}."})
  int crossSegmentWarmup;
  @Option(names = "--depth", defaultValue = "100",
      description = "Candidates per query to draw negatives from. Default: ${DEFAULT-VALUE}.")
  int depth;
  @Option(names = "--min-grade", description = "Grade of a positive. Default: the dataset's relevance level.")
  Integer minGrade;
  @Option(names = "--lr", defaultValue = "3e-5",
      description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.") float lr;
  @Option(names = "--warmup", defaultValue = "0.1",
      description = "Fraction of steps of linear warm-up. Default: ${DEFAULT-VALUE}.")
  float warmup;
  @Option(names = "--weight-decay", defaultValue = "0.01",
      description = "AdamW weight decay. Default: ${DEFAULT-VALUE}.")
  float weightDecay;
  @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip. Default: ${DEFAULT-VALUE}.")
  double clip;
  @Option(names = "--seed", defaultValue = "42",
      description = "Seed of initialisation, sampling and dropout. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--loss", defaultValue = "onehot",
      description = "onehot, softmax-kl, mse, margin-mse or m3se. Default: ${DEFAULT-VALUE}.")
  String loss;
  @Option(names = "--alpha", defaultValue = "0",
      description = "Weight of one-hot CE mixed into a distillation loss. Default: ${DEFAULT-VALUE}.")
  double alpha;
  @Option(names = "--teacher-scores", paramLabel = "FILE", description = "Teacher scores (qid docid score).")
  Path teacherScores;
  @Option(names = "--teacher-temperature", defaultValue = "1",
      description = "Temperature dividing the teacher's scores (softmax-kl). Default: ${DEFAULT-VALUE}.")
  double teacherTemperature;
  @Option(names = "--student-temperature", defaultValue = "1",
      description = "Temperature dividing the student's scores (onehot, softmax-kl). Default: ${DEFAULT-VALUE}.")
  double studentTemperature;
  @Option(names = "--in-batch-negatives", description = "DE, one-hot loss: other queries' documents are negatives too.")
  boolean inBatchNegatives;

  @Option(names = "--eval-every", defaultValue = "100",
      description = "Steps between evaluations. Default: ${DEFAULT-VALUE}.")
  int evalEvery;
  @Option(names = "--eval-queries", defaultValue = "50",
      description = "Queries sampled per split for evaluation. Default: ${DEFAULT-VALUE}.") int evalQueries;
  @Option(names = "--eval-depth", defaultValue = "100",
      description = "Candidates re-ranked per evaluated query. Default: ${DEFAULT-VALUE}.")
  int evalDepth;
  @Option(names = "--start-from", paramLabel = "DIR", description = {"Start from this trained dualrank model's"
      + " weights (a warm start, e.g. a CA trained on another dataset) instead of --init's encoder and a new head;",
      "the model options must describe the same model, word-piece lengths aside."})
  Path startFrom;
  @Option(names = "--checkpoint-every", defaultValue = "100",
      description = "Steps between checkpoints (SIGTERM/SIGINT also checkpoint). Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Override
  public Integer call() throws Exception {
    Dataset ds = data.load();
    TrainSettings settings = new TrainSettings(steps, batch, negatives, crossQueryNegatives, depth,
        minGrade == null ? ds.relevanceLevel() : minGrade, lr, warmup, weightDecay, clip, seed, loss, alpha,
        teacherTemperature, studentTemperature, inBatchNegatives, evalEvery, evalQueries, evalDepth, checkpointEvery)
        .withPrecision(precision.resolve()).withCrossSegmentWarmup(crossSegmentWarmup).withMicroBatch(microBatch);
    RankingTask task = RankingTask.load(ds, trainSplit, CandidateOptions.of(ds, trainSplit, candidates.train),
        testSplit, CandidateOptions.of(ds, testSplit, candidates.test), Math.max(depth, evalDepth));
    TeacherScores teacher = teacherScores == null ? null : TeacherScores.read(teacherScores);
    if (Files.isRegularFile(out.resolve(Trainer.PROVENANCE)) && !Files.isDirectory(out.resolve(Trainer.CHECKPOINT))) {
      throw new IllegalArgumentException(out + " already holds a trained model; choose another --out");
    }
    Map<String, Object> provenance = Provenance.of(CommandLines.typed(spec), ds.name());
    DataFingerprint files = DataFingerprint.of(ds, List.of(trainSplit, testSplit));
    files = files.with(trainSplit + " candidates given", candidates.train == null ? List.of() : candidates.train)
        .with(testSplit + " candidates given", candidates.test == null ? List.of() : candidates.test)
        .with("teacher scores", teacherScores == null ? List.of() : List.of(teacherScores));
    provenance.put("data", files);
    Map<String, String> inputs = new LinkedHashMap<>(files.checksums());
    if (startFrom != null) {
      Map<String, String> start = RankerModel.checksums(startFrom);
      start.forEach((file, sum) -> inputs.put("start-from " + file, sum));
      provenance.put("startFrom", RankerModel.startProvenance(startFrom, start));
    }
    try (RankerModel model = startFrom == null ? RankerModel.create(modelOptions.config(), seed)
        : RankerModel.startingFrom(modelOptions.config(), startFrom)) {
      new Trainer(model, settings, task.trainingData(settings, teacher), task.evalSplits(settings), out,
          Provenance.withSource(provenance, Path.of(model.config().init()))).dataInputs(inputs)
          .run(resume);
    }
    System.err.println("train: model saved in " + out);
    return 0;
  }
}

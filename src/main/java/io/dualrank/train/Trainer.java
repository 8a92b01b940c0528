package io.dualrank.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.eval.EvalResult;
import io.dualrank.eval.Measure;
import io.dualrank.loss.RankingLoss;
import io.dualrank.loss.RankingLosses;
import io.dualrank.model.MatrixPrecision;
import io.dualrank.model.RankerModel;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.DirectoryLock;
import io.dualrank.util.InputManifest;
import io.dualrank.util.Progress;
import io.dualrank.util.StopSignals;
import io.dualrank.util.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Trains a {@link RankerModel} on query groups: per step, B groups (one positive, n hard negatives) are
 * scored, the loss (one-hot cross-entropy or a distillation loss against teacher scores) is back-propagated,
 * the global gradient norm clipped, and AdamW applied with linear warm-up and decay.
 *
 * <p>Every {@code evalEvery} steps (and at the start and the end) the model re-ranks the candidates of each
 * {@link EvalSplit} (a sample of train queries and the test queries: the train–test gap is the point) and
 * the figures go to {@code metrics.jsonl}. Every {@code checkpointEvery} steps the weights, optimiser state
 * and metrics go atomically to {@code checkpoint/}; {@link #run} with resume continues from there and ends
 * with the same weights as an uninterrupted run (sampling and dropout depend only on seed and step), the same
 * {@code metrics.jsonl} (each evaluation once, the train loss averaged over the same steps) and, in
 * {@code provenance.json}, the training time of all parts (up to their last checkpoints) together; a resume
 * whose settings, model configuration or data ({@link #dataInputs}) differ from the checkpoint's is refused. The
 * finished model is saved into the output directory with {@code provenance.json}; the directory is locked
 * ({@link DirectoryLock}) while a run trains into it, and holds no temporary file once it is finished.
 * On SIGTERM or SIGINT ({@link StopSignals}) the run checkpoints the step it has finished and throws
 * {@link StopSignals.Stopped}.
 */
public final class Trainer {
  public static final String METRICS = "metrics.jsonl";
  public static final String CHECKPOINT = "checkpoint";
  public static final String PROVENANCE = "provenance.json";
  /** The checkpoint's record of the run so far: {@link RunState}. */
  static final String PROGRESS = "progress.json";
  /** The checkpoint's record of what the run depends on: {@link #inputs}. */
  static final String INPUTS = "inputs.properties";
  static final List<Measure> MEASURES = List.of(Measure.parse("recip_rank_cut_10"), Measure.parse("ndcg_cut_10"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RankerModel model;
  private final TrainSettings settings;
  private final TrainingData data;
  private final List<EvalSplit> evalSplits;
  private final Path out;
  private final Map<String, Object> provenance;
  private final RankingLoss loss;
  private IntConsumer afterStep = step -> {};
  private Map<String, String> dataInputs = Map.of();

  /**
   * @param provenance what to record beside the weights besides the settings (command line, dataset, ...)
   */
  public Trainer(RankerModel model, TrainSettings settings, TrainingData data, List<EvalSplit> evalSplits, Path out,
      Map<String, Object> provenance) {
    this.model = model;
    this.settings = settings;
    this.data = data;
    this.evalSplits = evalSplits;
    this.out = out;
    this.provenance = provenance;
    this.loss = RankingLosses.create(settings.loss(), settings.alpha(), settings.teacherTemperature(),
        settings.studentTemperature());
    if ((settings.inBatchNegatives() || settings.crossQueryNegatives() > 0) && loss.needsTeacher()) {
      throw new IllegalArgumentException("in-batch and cross-query negatives go with the one-hot loss only: the"
          + " teacher has no scores for other queries' documents");
    }
  }

  /** Called after each completed step (with its 0-based index), e.g. to log or to stop a run in a test. */
  public Trainer afterStep(IntConsumer listener) {
    this.afterStep = listener;
    return this;
  }

  /**
   * What the training data depends on (e.g. the data files' and teacher scores' checksums), by name. Recorded
   * in every checkpoint with the settings and the model's configuration; a resume with any of them changed is
   * refused, naming what changed.
   */
  public Trainer dataInputs(Map<String, String> inputs) {
    this.dataInputs = Map.copyOf(inputs);
    return this;
  }

  /** What a checkpoint's weights depend on: the settings and model configuration, field by field, and the data. */
  private Map<String, String> inputs() {
    Map<String, String> inputs = new java.util.TreeMap<>(dataInputs);
    JSON.convertValue(settings, Map.class).forEach((k, v) -> inputs.put("settings." + k, String.valueOf(v)));
    JSON.convertValue(model.config(), Map.class).forEach((k, v) -> inputs.put("model." + k, String.valueOf(v)));
    return inputs;
  }

  /** A record of {@code metrics.jsonl}. */
  public record EvalRecord(int step, String split, double mrr10, double ndcg10, double trainLoss, float lr) {}

  /**
   * What a checkpoint keeps of the run besides weights and metrics: the training seconds so far, and the
   * train loss summed over the steps since the last evaluation (and their number).
   */
  record RunState(double seconds, double lossSum, int lossCount) {}

  /**
   * Trains to {@code settings.steps()}; with {@code resume}, first restores {@code checkpoint/} when there is
   * one. Returns the evaluation records of the whole run.
   */
  public List<EvalRecord> run(boolean resume) throws IOException {
    try (DirectoryLock lock = DirectoryLock.acquire(out, "training run")) {
      return train(resume);
    }
  }

  private List<EvalRecord> train(boolean resume) throws IOException {
    Path checkpoint = out.resolve(CHECKPOINT);
    boolean resuming = resume && Files.isDirectory(checkpoint);
    if (resuming) {
      InputManifest.check(checkpoint.resolve(INPUTS), inputs(), "Delete " + checkpoint + " (or train without"
          + " --resume) to start over, or choose another --out.");
      model.loadWeights(checkpoint.resolve(RankerModel.WEIGHTS)); // before parameters(): loading replaces arrays
    }
    List<Parameter> parameters = model.parameters();
    List<EvalRecord> records = new ArrayList<>();
    LearningRateSchedule schedule =
        new LearningRateSchedule(settings.learningRate(), settings.warmupSteps(), settings.steps());
    long started = System.nanoTime();
    try (AdamW adam = new AdamW(parameters, 0.9f, 0.999f, 1e-8f, settings.weightDecay(), model.manager());
        StopSignals.Watch stop = StopSignals.watch()) {
      int start = 0;
      RunState earlier = new RunState(0, 0, 0);
      if (resuming) {
        adam.load(checkpoint.resolve("optimizer.bin"));
        start = adam.updates();
        records.addAll(readMetrics(checkpoint.resolve(METRICS)));
        earlier = JSON.readValue(checkpoint.resolve(PROGRESS).toFile(), RunState.class);
        System.err.printf(Locale.ROOT, "train: resumed from %s at step %d%n", checkpoint, start);
      } else {
        records.addAll(evaluate(0, Double.NaN, 0f));
        writeMetrics(out.resolve(METRICS), records);
      }
      Progress progress = new Progress("train " + model.config().architecture().name().toLowerCase(Locale.ROOT),
          settings.steps(), "steps", start, System.err, java.time.Duration.ofSeconds(10));
      double lossSum = earlier.lossSum();
      int lossCount = earlier.lossCount();
      for (int step = start; step < settings.steps(); step++) {
        float lr = schedule.at(step);
        double stepLoss = step(step, parameters, adam, lr);
        lossSum += stepLoss;
        lossCount++;
        progress.advance(step + 1, String.format(Locale.ROOT, "loss %.4f lr %.2e", stepLoss, lr));
        boolean last = step + 1 == settings.steps();
        if ((step + 1) % settings.evalEvery() == 0 || last) {
          records.addAll(evaluate(step + 1, lossSum / lossCount, lr));
          lossSum = 0;
          lossCount = 0;
          writeMetrics(out.resolve(METRICS), records);
        }
        boolean stopping = stop.requested() && !last;
        if (((step + 1) % settings.checkpointEvery() == 0 || stopping) && !last) {
          saveCheckpoint(checkpoint, adam, records,
              new RunState(earlier.seconds() + (System.nanoTime() - started) / 1e9, lossSum, lossCount));
        }
        afterStep.accept(step);
        if (stopping) {
          stop.stopIfRequested(String.format(Locale.ROOT, "step %d of %d is checkpointed in %s", step + 1,
              settings.steps(), checkpoint));
        }
      }
      double seconds = earlier.seconds() + (System.nanoTime() - started) / 1e9;
      model.save(out);
      writeProvenance(records, seconds);
      AtomicFiles.deleteRecursively(checkpoint);
      AtomicFiles.removeLeftovers(out);
    }
    return records;
  }

  /** One optimiser update from {@link #accumulateGradients}; returns the loss. */
  private double step(int step, List<Parameter> parameters, AdamW adam, float lr) {
    double value = accumulateGradients(step);
    double norm = GradientClipping.clipGlobalNorm(parameters, settings.clipNorm());
    if (!Double.isFinite(norm)) {
      List<String> bad = GradientClipping.nonFinite(parameters);
      throw diverged(step, String.format(Locale.ROOT, "the gradient norm is %s (non-finite in %d of %d"
          + " parameters, first %s)", norm, bad.size(), parameters.size(), bad.isEmpty() ? "-" : bad.get(0)));
    }
    adam.step(lr);
    return value;
  }

  /**
   * Adds the gradient of step {@code step}'s loss to the parameters' (AdamW zeroes them after each update) and
   * returns the loss, the mean over the batch's query groups. Dropout is seeded by (seed, step) so a resumed run
   * repeats it. The batch goes through in passes of {@link TrainSettings#passQueries} groups, each pass's mean
   * weighted by its share of the groups, and each pass's activations freed before the next.
   */
  double accumulateGradients(int step) {
    Engine.getInstance().setRandomSeed((int) (settings.seed() * 1_000_003L + step));
    List<TrainingGroup> groups = data.sampler().batch(step, settings.batchQueries());
    double value = 0;
    model.setMatrixPrecision(settings.precision()); // the steps only: evaluation and the saved model are float32
    model.setCrossSegmentBias(settings.crossSegmentBiasAt(step)); // likewise: they have full attention
    try (NDManager scratch = model.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(scratch, false);
      for (int from = 0; from < groups.size(); from += settings.passQueries()) {
        List<TrainingGroup> pass = groups.subList(from, Math.min(from + settings.passQueries(), groups.size()));
        try (NDManager passScratch = scratch.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          StepScores s = StepScores.of(model, ps, passScratch, pass, data, settings.inBatchNegatives(),
              loss.needsTeacher());
          NDArray mean = loss.compute(s.student(), s.teacher(), s.mask());
          NDArray l = mean.mul(Tensors.scalar(mean, (double) pass.size() / groups.size()));
          double passValue = l.getFloat();
          if (!Double.isFinite(passValue)) {
            throw diverged(step, "the loss is " + passValue);
          }
          value += passValue;
          collector.backward(l);
        }
      }
    } finally {
      model.setMatrixPrecision(MatrixPrecision.FP32);
      model.setCrossSegmentBias(0f);
    }
    return value;
  }

  /** Training went non-finite at {@code step} (0-based); nothing of it is saved, the last checkpoint stays. */
  private TrainingDivergedException diverged(int step, String what) {
    Path checkpoint = out.resolve(CHECKPOINT);
    String kept = Files.isDirectory(checkpoint) ? "the last checkpoint (" + checkpoint + ") is kept"
        : "no checkpoint was written yet";
    return new TrainingDivergedException(String.format(Locale.ROOT, "training diverged at step %d of %d: %s;"
        + " lower the learning rate (%.3g at its peak) or check the inputs' scale (teacher scores, temperatures); %s",
        step + 1, settings.steps(), what, settings.learningRate(), kept));
  }

  private List<EvalRecord> evaluate(int step, double trainLoss, float lr) {
    List<EvalRecord> out = new ArrayList<>();
    for (EvalSplit split : evalSplits) {
      long t = System.nanoTime();
      EvalResult r = split.evaluate(model);
      EvalRecord rec = new EvalRecord(step, split.name(), r.mean(MEASURES.get(0)), r.mean(MEASURES.get(1)),
          trainLoss, lr);
      out.add(rec);
      System.err.printf(Locale.ROOT, "eval step %d %s (%d queries, %.0f s): MRR@10 %.4f nDCG@10 %.4f%n", step,
          split.name(), split.evaluator().queryIds().size(), (System.nanoTime() - t) / 1e9, rec.mrr10(),
          rec.ndcg10());
    }
    return out;
  }

  private void saveCheckpoint(Path checkpoint, AdamW adam, List<EvalRecord> records, RunState state)
      throws IOException {
    AtomicFiles.writeDirectory(checkpoint, tmp -> {
      model.saveWeights(tmp.resolve(RankerModel.WEIGHTS));
      adam.save(tmp.resolve("optimizer.bin"));
      writeMetrics(tmp.resolve(METRICS), records);
      JSON.writeValue(tmp.resolve(PROGRESS).toFile(), state);
      InputManifest.write(tmp.resolve(INPUTS), inputs());
    });
  }

  private static void writeMetrics(Path file, List<EvalRecord> records) throws IOException {
    AtomicFiles.writeText(file, w -> {
      for (EvalRecord r : records) {
        w.write(JSON.writeValueAsString(r));
        w.write('\n');
      }
    });
  }

  /** The records of a {@code metrics.jsonl}. */
  public static List<EvalRecord> readMetrics(Path file) throws IOException {
    List<EvalRecord> records = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        records.add(JSON.readValue(line, EvalRecord.class));
      }
    }
    return records;
  }

  private void writeProvenance(List<EvalRecord> records, double seconds) throws IOException {
    Map<String, Object> p = new LinkedHashMap<>(provenance);
    p.put("seed", settings.seed());
    p.put("settings", settings);
    p.put("model", model.config());
    p.put("trainingSeconds", Math.round(seconds));
    p.put("finalEvaluation", records.subList(Math.max(0, records.size() - evalSplits.size()), records.size()));
    AtomicFiles.writeFile(out.resolve(PROVENANCE), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), p));
  }
}

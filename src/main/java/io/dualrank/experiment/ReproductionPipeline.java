package io.dualrank.experiment;

import io.dualrank.analysis.CandidateScoreMatrix;
import io.dualrank.analysis.EmbeddingCapacityFit;
import io.dualrank.analysis.NumericalRank;
import io.dualrank.data.DataFingerprint;
import io.dualrank.data.Dataset;
import io.dualrank.data.Qrels;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TeacherScores;
import io.dualrank.data.TrecRunReader;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.eval.EvalResult;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.index.Bm25Index;
import io.dualrank.loss.RankingLosses;
import io.dualrank.model.EncoderSpec;
import io.dualrank.model.EnsembleModel;
import io.dualrank.model.MatrixPrecision;
import io.dualrank.model.OnnxDirectory;
import io.dualrank.model.Pooling;
import io.dualrank.model.RankerConfig;
import io.dualrank.model.RankerModel;
import io.dualrank.model.ScoringModel;
import io.dualrank.retrieve.ResumableRerank;
import io.dualrank.train.RankingTask;
import io.dualrank.train.TeacherScoring;
import io.dualrank.train.TrainSettings;
import io.dualrank.train.Trainer;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.NativeMemory;
import io.dualrank.util.Progress;
import io.dualrank.util.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The paper's study on one dataset, stage by stage, each stage cached by its inputs ({@link StageCache}):
 * candidates (the dataset's runs, or BM25 made here) → CA teacher training → teacher scores of the train
 * candidates → DE students (one-hot, one-hot with in-batch negatives, each distillation loss, and one-hot
 * at several embedding dimensions) → re-ranking of a train sample and of test by every model → the
 * capacity sweep on the teacher's score matrix → re-ranking of each zero-shot transfer set (config key
 * {@code transfer}) by every model. {@link Report} turns the results into tables and plots.
 */
public final class ReproductionPipeline {
  static final Measure NDCG10 = Measure.parse("ndcg_cut_10");
  static final Measure MRR10 = Measure.parse("recip_rank_cut_10");
  static final Measure MAP = Measure.parse("map");
  static final Measure MRR = Measure.parse("recip_rank");
  /**
   * Queries per resumable part of a CA's re-ranking (~100 queries × 30 in minutes). A DE re-ranks each run in
   * one part: it encodes every distinct document of a part once, and parts of 100 SQuAD questions share most
   * documents (the first 8 parts of squad's 2,000-question test sample encoded 13,154 documents, 8,676 distinct).
   */
  static final int RERANK_PART_QUERIES = 100;
  /** The measures of every model on train and test, hence the figure ids {@code MODEL/SPLIT/MEASURE}. */
  static final List<Measure> MEASURES = List.of(NDCG10, MRR10, MAP, MRR);

  private final ExperimentConfig cfg;
  private final Dataset dataset;
  private final DataFingerprint data;
  private final StageCache cache;
  private final String command;
  private final MatrixPrecision precision;
  /** The matrix precision of re-ranking and teacher scoring, for models run by DJL/PyTorch. */
  private final MatrixPrecision scoringPrecision;
  /** The config's transfer sets with their datasets, loaded (and checked) when the pipeline is made. */
  private final Map<ExperimentConfig.Transfer, Dataset> transferSets = new LinkedHashMap<>();
  /** How a config named by {@code teacher.startFrom} is taken: as read, or its quick profile when this one is. */
  private final UnaryOperator<ExperimentConfig> otherStudies;
  /** Every model evaluated so far by {@link #evaluate}, by name, as the stage holding it. */
  private final Map<String, StageCache.Stage> rankers = new LinkedHashMap<>();
  /**
   * The train queries each model trained by {@link #train} drew, by its stage folder: computed when asked for, so
   * a stage found done (another study's teacher, say) loads no task for it.
   */
  private final Map<Path, Supplier<Set<String>>> trainingDraws = new LinkedHashMap<>();

  /**
   * One evaluated ranker: its runs (and the files holding them), figures on the train sample and on test, and the
   * train queries its training in this study drew ({@code trainedOn}; empty when it was not trained here).
   */
  public record ModelResult(String name, String description, Path dir, List<Path> runFiles, Run trainRun,
      Run testRun, EvalResult train, EvalResult test, List<Trainer.EvalRecord> curve, Set<String> trainedOn) {}

  /** Everything a report needs. */
  public record Outcome(ExperimentConfig config, Dataset dataset, RankingTask task, List<ModelResult> models,
      List<EmbeddingCapacityFit.Result> capacityRaw, List<EmbeddingCapacityFit.Result> capacityNormalised,
      List<EmbeddingCapacityFit.LowRankBound> capacityBound, int capacityQueries, int capacityDocuments, int scoreMatrixRank, double[] singularValues, double seconds,
      Stages stages, Map<String, String> droppedTrainQueries, List<TransferResult> transfers,
      MatrixPrecision trainingPrecision, MatrixPrecision scoringPrecision) {}

  /** Queries per resumable part when a model re-ranks {@code queries} queries ({@link #RERANK_PART_QUERIES}). */
  static int rerankPartQueries(io.dualrank.model.Architecture architecture, int queries) {
    return architecture == io.dualrank.model.Architecture.CROSS_ENCODER ? RERANK_PART_QUERIES : Math.max(1, queries);
  }

  /**
   * A transfer set re-ranked by every model of the study.
   *
   * @param set the config's entry
   * @param dataset its dataset
   * @param candidates where the candidates come from, in words
   * @param models the candidates themselves first (named {@code bm25}), then every model in the order of
   *     {@link Outcome#models()}
   */
  public record TransferResult(ExperimentConfig.Transfer set, Dataset dataset, String candidates,
      List<TransferModel> models) {}

  /** One ranker on a transfer set: its run (and the files holding it) and its figures on the set's queries. */
  public record TransferModel(String name, List<Path> runFiles, Run run, EvalResult result) {}

  /**
   * The work folder of a run's stages, how many it used, which of them it computed rather than reused, and
   * the seconds each stage took when it was computed (by this run or an earlier one; absent when not recorded).
   */
  public record Stages(Path dir, int count, List<String> computed, Map<String, Double> seconds) {}

  /** The study of {@code cfg} on {@code dataset}, stages under {@code workDir}/NAME, trained and scored in fp32. */
  public ReproductionPipeline(ExperimentConfig cfg, Dataset dataset, Path workDir, String command) {
    this(cfg, dataset, workDir, command, MatrixPrecision.FP32, MatrixPrecision.FP32);
  }

  /**
   * As above, training with matrix products in {@code precision} and re-ranking and teacher scoring in {@code
   * scoringPrecision} (models that run in float32 only, ONNX graphs, are scored in float32); each is part of the
   * keys of the stages it affects unless fp32, so float32 studies keep their stage keys.
   */
  public ReproductionPipeline(ExperimentConfig cfg, Dataset dataset, Path workDir, String command,
      MatrixPrecision precision, MatrixPrecision scoringPrecision) {
    this(cfg, dataset, workDir, command, precision, scoringPrecision, UnaryOperator.identity());
  }

  /**
   * As above; a config that {@code teacher.startFrom} names is read and passed through {@code otherStudies}
   * ({@link ExperimentConfig#quick} when this study is the quick profile, so that both are).
   */
  public ReproductionPipeline(ExperimentConfig cfg, Dataset dataset, Path workDir, String command,
      MatrixPrecision precision, MatrixPrecision scoringPrecision, UnaryOperator<ExperimentConfig> otherStudies) {
    this.otherStudies = otherStudies;
    this.precision = precision;
    this.scoringPrecision = scoringPrecision;
    this.cfg = cfg;
    this.dataset = dataset;
    check();
    this.data = fingerprint(dataset);
    this.cache = new StageCache(workDir.resolve(cfg.name()));
    this.command = command;
    for (ExperimentConfig.Transfer t : cfg.transfer()) {
      Dataset set = Dataset.named(t.dataset(), dataset.dataRoot());
      set.validate();
      set.split(t.split());
      transferSets.put(t, set);
    }
  }

  /**
   * Checks what the config asks of the dataset, when the pipeline is made (before any stage runs): train and test splits, and candidate
   * runs for both when {@code candidates: dataset}. (The config itself was checked when read, see
   * {@link ExperimentConfig#problems()}; the dataset's files when it was loaded.)
   */
  public void check() {
    for (String split : List.of("train", "test")) {
      if (!dataset.splits().containsKey(split)) {
        throw new IllegalArgumentException("experiment " + cfg.name() + ": dataset " + dataset.name() + " needs a '"
            + split + "' split; it has " + dataset.splits().keySet());
      }
      if ("dataset".equals(cfg.candidates()) && dataset.split(split).candidates().isEmpty()) {
        throw new IllegalArgumentException("experiment " + cfg.name() + ": candidates: dataset, but dataset "
            + dataset.name() + " has no candidate runs for split " + split + "; set `candidates: bm25` to make"
            + " them here");
      }
    }
  }

  /** The files the study reads: the dataset's definition, corpus, queries, and train and test splits. */
  static DataFingerprint fingerprint(Dataset dataset) {
    return DataFingerprint.of(dataset, List.of("train", "test"));
  }

  /** Makes (BM25) or finds the [train, test] candidate runs and reads them. */
  @FunctionalInterface
  private interface CandidateRuns {
    Run[] read() throws IOException;

    /** These runs read at the first call only (a study's setups with other train samples share them). */
    default CandidateRuns once() {
      Run[][] read = new Run[1][];
      return () -> read[0] != null ? read[0] : (read[0] = read());
    }
  }

  /**
   * The candidate runs ([train, test], made here when BM25 makes them) and their folder, a sample of at most
   * {@code maxTrainQueries} train queries (0: all), the key of the data every model stage depends on, and the task
   * they define: made, read and loaded when first asked for, so a stage found done (another study's teacher that a
   * warm start names, say) reads none of them.
   */
  private final class Setup {
    private final CandidateRuns candidates;
    private final Map<String, Object> candidateKey;
    private final Path candidateDir;
    private final int maxTrainQueries;
    private final Map<String, Object> dataKey;
    private RankingTask task;

    private Setup(CandidateRuns candidates, Map<String, Object> candidateKey, Path candidateDir, int maxTrainQueries) {
      this.candidates = candidates;
      this.candidateKey = candidateKey;
      this.candidateDir = candidateDir;
      this.maxTrainQueries = maxTrainQueries;
      dataKey = new LinkedHashMap<>(candidateKey);
      dataKey.put("dataset", dataset.name());
      dataKey.put("data", data.checksums());
      dataKey.put("maxTrainQueries", maxTrainQueries);
      dataKey.put("maxTestQueries", cfg.maxTestQueries());
    }

    /** The same candidates with another sample of train queries (the teacher's own, {@code teacher.maxTrainQueries}). */
    Setup withTrainQueries(int max) {
      return new Setup(candidates, candidateKey, candidateDir, max);
    }

    RankingTask task() throws IOException {
      if (task == null) {
        Run[] runs = candidates.read();
        task = RankingTask.load(dataset, "train", limit(runs[0], "train", maxTrainQueries), "test",
            limit(runs[1], "test", cfg.maxTestQueries()), Math.max(cfg.trainDepth(), cfg.rerankDepth()));
      }
      return task;
    }
  }

  private Setup setup() throws IOException {
    Map<String, Object> candidateKey = new LinkedHashMap<>();
    CandidateRuns candidates = candidates(candidateKey);
    Path candidateDir = "bm25".equals(cfg.candidates()) ? cache.root().resolve("bm25-" + candidateKey.get("candidates"))
        : null;
    return new Setup(candidates.once(), candidateKey, candidateDir, cfg.maxTrainQueries());
  }

  public Outcome run() throws IOException {
    long started = System.nanoTime();
    Setup setup = setup();
    RankingTask task = setup.task();
    Map<String, Object> dataKey = setup.dataKey;
    Path candidateDir = setup.candidateDir;
    Run trainEval = trainSample(task).topK(cfg.rerankDepth());
    Run testEval = task.testCandidates().topK(cfg.rerankDepth());
    log("%d train queries (%d in the evaluation sample), %d test queries, %d documents loaded",
        task.trainCandidates().queryIds().size(), trainEval.queryIds().size(), testEval.queryIds().size(),
        task.documentTexts().size());

    rankers.clear();
    List<ModelResult> models = new ArrayList<>();
    models.add(evaluated(CANDIDATES, candidateDescription(), candidateDir, candidateFiles(candidateDir), trainEval,
        testEval, task, List.of(), Set.of()));
    EncoderSpec encoder = EncoderSpec.parse(cfg.encoder());
    boolean randomInit = RankerConfig.RANDOM_INIT.equals(encoder.init());
    StageCache.Stage pretrained = !randomInit || cfg.teacher().ensembleWeight() > 0 ? pretrained(encoder, dataKey) : null;
    if (!randomInit) {
      models.add(evaluate("de-pretrained", "DE = pre-trained " + encoder.init() + ", no fine-tuning", pretrained,
          trainEval, testEval, task));
    }

    ExperimentConfig.Model t = cfg.teacher();
    StageCache.Stage teacher;
    if (t.model() == null) {
      teacher = trainedTeacher(setup);
      if (t.ensembleWeight() > 0) {
        models.add(evaluate("ca-alone", "CA (cross-encoder, one-hot CE), the ensemble's member", teacher, trainEval,
            testEval, task));
        StageCache.Stage member = teacher;
        teacher = ensemble(teacher, pretrained, t.ensembleWeight());
        trainingDraws.put(teacher.dir(), trainingDraws.get(member.dir()));
        models.add(evaluate("ca", String.format(Locale.ROOT, "teacher = %.2f z(CA) + %.2f z(pre-trained DE), a"
            + " variant: not the paper's CA", 1 - t.ensembleWeight(), t.ensembleWeight()), teacher, trainEval,
            testEval, task));
      } else {
        models.add(evaluate("ca", "CA teacher (cross-encoder, one-hot CE)", teacher, trainEval, testEval, task));
      }
    } else {
      teacher = readyTeacher(Path.of(t.model()));
      models.add(evaluate("ca", "CA teacher (ready model " + t.model() + ")", teacher, trainEval, testEval, task));
    }

    // the teacher's scores, asked for when the first distilled student comes: the students before it need none
    StageCache.Stage scoresStage = null;
    TeacherScores scores = null;

    ExperimentConfig.Model s = cfg.student();
    RankerConfig studentConfig = studentConfig(encoder, 0);
    for (String loss : cfg.losses()) {
      boolean distil = RankingLosses.create(loss, 0).needsTeacher();
      if (distil && scores == null) {
        scoresStage = cache.stage("teacher-scores", scoringKey(teacher, teacher.key(), cfg.trainDepth()));
        scores = teacherScores(scoresStage, teacher, task);
      }
      String name = "de-" + loss;
      StageCache.Stage stage = train(name, studentConfig, settings(s, loss, false), setup,
          distil ? scoresStage : null, distil ? scores : null);
      models.add(evaluate(name, distil ? "DE distilled with " + loss : "DE, one-hot CE (hard negatives)", stage,
          trainEval, testEval, task));
    }
    if (cfg.inBatchOnehot()) {
      StageCache.Stage stage = train("de-onehot-inbatch", studentConfig, settings(s, "onehot", true), setup, null,
          null);
      models.add(evaluate("de-onehot-inbatch", "DE, one-hot CE with in-batch negatives", stage, trainEval, testEval,
          task));
    }
    for (int k : cfg.learnedDimensions()) {
      String name = "de-onehot-k" + k;
      StageCache.Stage stage = train(name, studentConfig(encoder, k), settings(s, "onehot", false), setup, null,
          null);
      models.add(evaluate(name, "DE, one-hot CE, projection to k = " + k, stage, trainEval, testEval, task));
    }

    CapacityStudy study = capacity(teacher, dataKey, task);
    Capacity capacity = study.fits();
    List<TransferResult> transfers = new ArrayList<>();
    for (var set : transferSets.entrySet()) {
      transfers.add(transfer(set.getKey(), set.getValue()));
    }
    return new Outcome(cfg, dataset, task, models, capacity.raw, capacity.normalised, study.bound(),
        capacity.queries, capacity.documents, capacity.rank, capacity.singularValues,
        (System.nanoTime() - started) / 1e9,
        new Stages(cache.root(), cache.requestedCount(), cache.computed(), cache.recordedSeconds()),
        droppedTrainQueries(task, cfg.maxTrainQueries() > 0 ? task.trainCandidates().queryIds()
            : task.trainQrels().queryIds(), dataset.relevanceLevel(), cfg.trainDepth()), transfers, precision,
        scoringPrecision);
  }

  /** The candidates' row: named {@code bm25} (the figure ids of the expected figures use it) in both cases. */
  static final String CANDIDATES = "bm25";

  private List<Path> candidateFiles(Path stageDir) {
    if (stageDir != null) {
      return List.of(stageDir.resolve("train.trec"), stageDir.resolve("test.trec"));
    }
    List<Path> runs = new ArrayList<>(dataset.split("train").candidates());
    runs.addAll(dataset.split("test").candidates());
    return runs;
  }

  private String candidateDescription() {
    if ("bm25".equals(cfg.candidates())) {
      return String.format(Locale.ROOT, "BM25 made here (Lucene, k1 = %s, b = %s, %s fields), first stage",
          cfg.bm25().k1(), cfg.bm25().b(), cfg.bm25().fields());
    }
    List<String> runs = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      dataset.split(split).candidates().forEach(p -> runs.add(p.getFileName().toString()));
    }
    return "the dataset's candidate runs (" + String.join(", ", runs) + "), first stage";
  }

  /**
   * Those of the {@code chosen} train queries (all judged ones, or the first maxTrainQueries) that no model
   * can learn from, with the reason: no relevant document in the corpus, or no non-relevant candidate in the
   * top {@code depth} (every candidate there relevant, or none at all).
   */
  static Map<String, String> droppedTrainQueries(RankingTask task, Set<String> chosen, int level, int depth) {
    Map<String, String> dropped = new LinkedHashMap<>();
    for (String q : chosen.stream().sorted().toList()) {
      Set<String> relevant = task.trainQrels().relevant(q, level);
      List<ScoredDoc> top = task.trainCandidates().ranking(q);
      top = top.subList(0, Math.min(depth, top.size()));
      if (relevant.stream().noneMatch(task.documentTexts()::containsKey)) {
        dropped.put(q, relevant.isEmpty() ? "no relevant judgment" : "no relevant document in the corpus");
      } else if (top.stream().allMatch(d -> relevant.contains(d.docId()))) {
        dropped.put(q, top.isEmpty() ? "no candidates" : "no non-relevant candidate in the top " + depth);
      }
    }
    return dropped;
  }

  /** [train, test] candidates: the dataset's, or BM25 top-{depth} made (and cached) here. */
  private CandidateRuns candidates(Map<String, Object> key) throws IOException {
    int depth = Math.max(cfg.trainDepth(), cfg.rerankDepth());
    if ("dataset".equals(cfg.candidates())) {
      key.put("candidates", "dataset");
      return () -> new Run[] {required(dataset.candidates("train"), "train"),
          required(dataset.candidates("test"), "test")};
    }
    if (!"bm25".equals(cfg.candidates())) {
      throw new IllegalArgumentException("candidates must be 'dataset' or 'bm25', got " + cfg.candidates());
    }
    StageCache.Stage stage = cache.stage("bm25", dataset.name(), data.withoutCandidates().checksums(), cfg.bm25(),
        depth);
    key.put("candidates", stage.key());
    return () -> {
      bm25Runs(stage, dataset, cfg.bm25(), List.of("train", "test"), depth);
      return new Run[] {TrecRunReader.read(stage.dir().resolve("train.trec")),
          TrecRunReader.read(stage.dir().resolve("test.trec"))};
    };
  }

  /**
   * Makes (unless the stage is done) the BM25 top {@code depth} of each split's judged queries, {@code
   * SPLIT.trec} in the stage's folder beside the index, and marks the stage done.
   */
  private static void bm25Runs(StageCache.Stage stage, Dataset ds, ExperimentConfig.Bm25 settings, List<String> splits,
      int depth) throws IOException {
    if (stage.done()) {
      return;
    }
    log("stage %s: BM25 index and search", stage.dir());
    Path index = stage.dir().resolve("index");
    try (Stream<io.dualrank.data.Document> docs = ds.corpus().stream()) {
      Bm25Index.build(docs, index, Progress.stderr("bm25 index", ds.corpus().count(), "docs"));
    }
    Bm25Index.Fields fields = Bm25Index.Fields.valueOf(settings.fields().toUpperCase(Locale.ROOT));
    try (Bm25Index bm25 = Bm25Index.open(index, settings.k1(), settings.b())) {
      for (String split : splits) {
        List<Query> queries = new ArrayList<>(ds.queries().load(ds.qrels(split).queryIds()).values());
        TrecRunWriter.write(bm25.search(queries, depth, fields, 2, "bm25", Progress.silent()),
            stage.dir().resolve(split + ".trec"));
      }
    }
    stage.markDone(Map.of("depth", depth));
  }

  private static Run required(java.util.Optional<Run> run, String split) {
    return run.orElseThrow(() -> new IllegalArgumentException("the dataset has no candidates for split " + split
        + "; set `candidates: bm25` in the experiment config"));
  }

  /** The candidates of at most {@code max} judged queries of the split (0: all), {@link #sample}d with the seed. */
  private Run limit(Run candidates, String split, int max) {
    return candidates.restrictTo(new LinkedHashSet<>(sample(candidates.queryIds().stream()
        .filter(dataset.qrels(split).queryIds()::contains).toList(), max, cfg.seed())));
  }

  /**
   * At most {@code max} of {@code ids} (0: all), in sorted order: a sample drawn with {@code seed}, since ids
   * often follow articles or topics (SQuAD's {@code sq-dev-ARTICLE-…}), so the first ones would be a few articles.
   */
  static List<String> sample(List<String> ids, int max, long seed) {
    List<String> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    if (max <= 0 || max >= sorted.size()) {
      return sorted;
    }
    Collections.shuffle(sorted, new Random(seed));
    List<String> drawn = new ArrayList<>(sorted.subList(0, max));
    Collections.sort(drawn);
    return drawn;
  }

  /** The train queries (with a relevant candidate-able document) whose figures are reported. */
  private Run trainSample(RankingTask task) {
    Qrels qrels = task.trainQrels();
    List<String> eligible = new ArrayList<>(task.trainCandidates().queryIds().stream()
        .filter(q -> !qrels.relevant(q, dataset.relevanceLevel()).isEmpty()).sorted().toList());
    Collections.shuffle(eligible, new Random(cfg.seed()));
    int n = Math.min(cfg.evaluation().finalTrainQueries(), eligible.size());
    return task.trainCandidates().restrictTo(new LinkedHashSet<>(eligible.subList(0, n)));
  }

  private RankerConfig studentConfig(EncoderSpec encoder, int projection) {
    ExperimentConfig.Model s = cfg.student();
    return encoder.dualEncoder(s.maxQueryLength(), s.maxLength(), Pooling.valueOf(s.pooling().toUpperCase(Locale.ROOT)),
        true, projection, s.normalize(), s.temperature(), s.learnTemperature());
  }

  private TrainSettings settings(ExperimentConfig.Model m, String loss, boolean inBatch) {
    boolean distil = RankingLosses.create(loss, 0).needsTeacher();
    ExperimentConfig.Evaluation e = cfg.evaluation();
    return new TrainSettings(m.steps(), m.batch(), m.negatives(), distil ? 0 : m.crossQueryNegatives(),
        cfg.trainDepth(), dataset.relevanceLevel(), m.lr(), m.warmup(), 0.01f, 1.0, cfg.seed(), loss,
        distil ? cfg.distillation().alpha() : 0,
        cfg.distillation().teacherTemperature(), cfg.distillation().studentTemperature(), inBatch, e.every(),
        e.queries(), e.depth(), e.every()).withPrecision(precision).withCrossSegmentWarmup(m.crossSegmentWarmup())
        .withMicroBatch(m.microBatch());
  }

  /**
   * The ready CA of {@code teacher.model} as the teacher stage: its own directory, keyed by the digest of its
   * files.
   *
   * @throws IllegalArgumentException unless the directory holds a cross-encoder
   */
  private StageCache.Stage readyTeacher(Path dir) throws IOException {
    try (ScoringModel m = ScoringModel.load(dir)) {
      if (m.architecture() != io.dualrank.model.Architecture.CROSS_ENCODER) {
        throw new IllegalArgumentException("teacher.model " + dir + " is a dual encoder; the teacher must be a CA");
      }
    }
    log("teacher: the ready model %s", dir);
    return new StageCache.Stage("ca", "ready-" + StageCache.modelKey(dir), dir, System.nanoTime());
  }

  /**
   * The CA teacher of {@code teacher:} trained (or found trained) in its stage, on the study's train sample or on
   * its own ({@code teacher.maxTrainQueries}); with {@code teacher.startFrom}, started from the CA of that study,
   * which is found or trained first.
   */
  private StageCache.Stage trainedTeacher(Setup studySetup) throws IOException {
    ExperimentConfig.Model t = cfg.teacher();
    Setup setup = t.maxTrainQueries() == null ? studySetup : studySetup.withTrainQueries(t.maxTrainQueries());
    EncoderSpec body = EncoderSpec.parse(t.encoder() == null ? cfg.encoder() : t.encoder());
    RankerConfig ca = body.crossEncoder(t.maxQueryLength(), t.maxLength(),
        Pooling.valueOf(t.pooling().toUpperCase(Locale.ROOT)));
    StageCache.Stage start = t.startFrom() == null ? null : startingTeacher(t.startFrom());
    return train("ca", t.segmentCosine() ? ca.withSegmentCosine(t.temperature()) : ca, settings(t, "onehot", false),
        setup, null, null, start);
  }

  /**
   * The trained CA of the study {@code file} configures (its own stage under this work folder), for a warm start.
   *
   * @throws IllegalArgumentException if that study's teacher is not trained there (a ready model) or starts
   *     from another study in turn
   */
  private StageCache.Stage startingTeacher(String file) throws IOException {
    ExperimentConfig other = otherStudies.apply(ExperimentConfig.read(Path.of(file)));
    if (other.teacher().model() != null || other.teacher().startFrom() != null) {
      throw new IllegalArgumentException("experiment " + cfg.name() + ": teacher.startFrom " + file
          + " must train its teacher from its encoder (neither teacher.model nor teacher.startFrom)");
    }
    Dataset otherData = Dataset.named(other.dataset(), dataset.dataRoot());
    otherData.validate();
    log("teacher: starts from the teacher of %s (study %s)", file, other.name());
    ReproductionPipeline study = new ReproductionPipeline(other, otherData, cache.root().getParent(), command,
        precision, scoringPrecision, otherStudies);
    return study.trainedTeacher(study.setup());
  }

  /**
   * Trains a model (or finds it trained) in its stage folder: from {@code model}'s encoder, or from the weights of
   * the model in {@code start} when given (then part of the stage's key).
   */
  private StageCache.Stage train(String name, RankerConfig model, TrainSettings settings, Setup setup,
      StageCache.Stage teacherStage, TeacherScores teacherScores) throws IOException {
    return train(name, model, settings, setup, teacherStage, teacherScores, null);
  }

  private StageCache.Stage train(String name, RankerConfig model, TrainSettings settings, Setup setup,
      StageCache.Stage teacherStage, TeacherScores teacherScores, StageCache.Stage start) throws IOException {
    String teacherKey = teacherStage == null ? "" : teacherStage.key();
    StageCache.Stage stage = start == null ? cache.stage(name, setup.dataKey, model, settings, teacherKey)
        : cache.stage(name, setup.dataKey, model, settings, teacherKey, Map.of("startFrom", start.name() + "-" + start.key()));
    trainingDraws.put(stage.dir(), () -> {
      try {
        return setup.task().trainingData(settings, null).sampler().queriesDrawn(settings.steps(),
            settings.batchQueries());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (stage.done()) {
      log("stage %s: done", stage.dir());
      return stage;
    }
    if (!Files.isRegularFile(stage.dir().resolve(Trainer.PROVENANCE))) {
      log("stage %s: training %s (%d steps)", stage.dir(), name, settings.steps());
      RankingTask task = setup.task();
      Map<String, Object> provenance = Provenance.of(command, dataset.name());
      provenance.put("data", data);
      provenance.put("experiment", cfg.name());
      provenance.put("stage", name);
      provenance.put("trainQueries", task.trainCandidates().queryIds().size());
      if (start != null) {
        provenance.put("startFrom", RankerModel.startProvenance(start.dir(), RankerModel.checksums(start.dir())));
      }
      try (RankerModel m = start == null ? RankerModel.create(model, cfg.seed())
          : RankerModel.startingFrom(model, start.dir())) {
        new Trainer(m, settings, task.trainingData(settings, teacherScores), task.evalSplits(settings), stage.dir(),
            provenance).dataInputs(Map.of("stage", stage.name() + "-" + stage.key())).run(true);
      }
      NativeMemory.trim(); // the training's activations and optimiser state: not kept through the stages after it
    }
    stage.markDone(Map.of("model", name));
    return stage;
  }

  private TeacherScores teacherScores(StageCache.Stage stage, StageCache.Stage teacher, RankingTask task)
      throws IOException {
    Path file = stage.dir().resolve("scores.txt");
    if (!stage.done()) {
      log("stage %s: teacher scores of the train candidates", stage.dir());
      var pairs = TeacherScoring.candidatePairs(task.trainCandidates().topK(cfg.trainDepth()), task.trainQrels(),
          dataset.relevanceLevel(), task.documentTexts().keySet());
      try (ScoringModel m = scoringModel(teacher)) {
        TeacherScoring.score(m, pairs, task.queryTexts(), task.documentTexts(), file, 10, scoringInputs(stage, teacher),
            false);
      }
      stage.markDone(Map.of("file", file.getFileName().toString()));
    }
    return TeacherScores.read(file);
  }

  /**
   * What a scoring stage's resumable parts depend on: the stage's key (the data, the teacher's settings) and
   * the teacher's weights as they are on disk.
   */
  private static Map<String, String> scoringInputs(StageCache.Stage stage, StageCache.Stage teacher)
      throws IOException {
    Map<String, String> inputs = new java.util.TreeMap<>(RankerModel.checksums(teacher.dir()));
    inputs.put("stage", stage.name() + "-" + stage.key());
    return inputs;
  }

  /**
   * The pre-trained encoder as a DE, without fine-tuning (a stage only for its evaluation; keyed by the data
   * too, since its evaluation stage is keyed by it).
   */
  private StageCache.Stage pretrained(EncoderSpec encoder, Map<String, Object> dataKey) throws IOException {
    RankerConfig config = studentConfig(encoder, 0);
    StageCache.Stage stage = cache.stage("de-pretrained", config, dataKey);
    if (!stage.done()) {
      try (RankerModel m = RankerModel.create(config, cfg.seed())) {
        m.save(stage.dir());
      }
      stage.markDone(Map.of("model", "de-pretrained"));
    }
    return stage;
  }

  /** The ensemble teacher of the CA and the pre-trained DE ({@link EnsembleModel}), keyed by both and w. */
  private StageCache.Stage ensemble(StageCache.Stage ca, StageCache.Stage de, double weight) throws IOException {
    StageCache.Stage stage = cache.stage("ca-ensemble", ca.key(), de.key(), weight);
    if (!stage.done()) {
      EnsembleModel.write(stage.dir(), ca.dir(), de.dir(), weight);
      stage.markDone(Map.of("model", "ca-ensemble"));
    }
    return stage;
  }

  /**
   * Re-ranks the train sample and test with a model (cached in an eval stage) and evaluates both; the model
   * is kept for the transfer sets.
   */
  private ModelResult evaluate(String name, String description, StageCache.Stage model, Run trainEval, Run testEval,
      RankingTask task) throws IOException {
    rankers.put(name, model);
    StageCache.Stage stage = cache.stage("eval-" + name, scoringKey(model, model.key(), trainEval.queryIds(),
        cfg.rerankDepth()));
    Path trainRun = stage.dir().resolve("train.trec");
    Path testRun = stage.dir().resolve("test.trec");
    Map<Path, Run> runs = new LinkedHashMap<>();
    runs.put(trainRun, trainEval);
    runs.put(testRun, testEval);
    rerank(stage, name, model, runs, task);
    Path metrics = model.dir().resolve(Trainer.METRICS);
    List<Trainer.EvalRecord> curve = Files.isRegularFile(metrics) ? Trainer.readMetrics(metrics) : List.of();
    Supplier<Set<String>> drawn = trainingDraws.get(model.dir());
    return evaluated(name, description, model.dir(), List.of(trainRun, testRun), TrecRunReader.read(trainRun),
        TrecRunReader.read(testRun), task, curve, drawn == null ? Set.of() : drawn.get());
  }

  /**
   * Unless {@code stage} is done: re-ranks each run with the model (texts from {@code task}) into its file,
   * resumably ({@link ResumableRerank}: a killed stage keeps its finished runs and parts), and marks the stage done.
   */
  private void rerank(StageCache.Stage stage, String name, StageCache.Stage model, Map<Path, Run> runs,
      RankingTask task) throws IOException {
    if (stage.done()) {
      return;
    }
    log("stage %s: re-ranking with %s", stage.dir(), name);
    try (ScoringModel m = scoringModel(model)) {
      for (var run : runs.entrySet()) {
        if (!Files.isRegularFile(run.getKey())) { // written atomically: one there is finished
          ResumableRerank.rerank(m, run.getValue(), task.queryTexts(), task.documentTexts(), name, run.getKey(),
              rerankPartQueries(m.architecture(), run.getValue().queryIds().size()));
        }
      }
    }
    stage.markDone(Map.of("model", name));
  }

  /**
   * A transfer set re-ranked by every model evaluated in-domain: its candidates (the split's own runs when the
   * dataset ships them, else BM25 made in a stage of its own), the judged queries among them ({@code
   * maxQueries} of them, a seeded sample, when set) cut to {@code depth}, and one cached stage per model, keyed
   * by the model's stage, the candidates, the queries and the depth. The study's own stages are untouched.
   */
  private TransferResult transfer(ExperimentConfig.Transfer t, Dataset ds) throws IOException {
    String split = t.split();
    DataFingerprint files = DataFingerprint.of(ds, List.of(split));
    Object candidateKey;
    List<Path> candidateFiles;
    String description;
    if (!ds.split(split).candidates().isEmpty()) {
      candidateKey = files.checksums();
      candidateFiles = ds.split(split).candidates();
      description = "the dataset's runs (" + String.join(", ", candidateFiles.stream()
          .map(p -> p.getFileName().toString()).toList()) + ")";
    } else {
      ExperimentConfig.Bm25 settings = t.bm25() != null ? t.bm25() : cfg.bm25();
      StageCache.Stage stage = cache.stage("transfer-" + t.name() + "-bm25", ds.name(),
          files.withoutCandidates().checksums(), settings, t.depth());
      bm25Runs(stage, ds, settings, List.of(split), t.depth());
      candidateKey = stage.key();
      candidateFiles = List.of(stage.dir().resolve(split + ".trec"));
      description = String.format(Locale.ROOT, "BM25 made here (Lucene, k1 = %s, b = %s, %s fields)", settings.k1(),
          settings.b(), settings.fields());
    }
    Run all = TrecRunReader.read(candidateFiles, io.dualrank.data.KnownIds.ANY);
    Set<String> judged = ds.qrels(split).queryIds();
    Run sampled = all.restrictTo(new LinkedHashSet<>(sample(all.queryIds().stream().filter(judged::contains).toList(),
        t.maxQueries(), cfg.seed())));
    RankingTask task = RankingTask.load(ds, split, sampled, split, sampled, t.depth());
    Run candidates = task.testCandidates();
    log("transfer set %s: %d queries, %d documents, top %d of %s", t.name(), candidates.queryIds().size(),
        task.documentTexts().size(), t.depth(), description);
    Evaluator evaluator = new Evaluator(task.testQrels(), ds.relevanceLevel());
    List<TransferModel> models = new ArrayList<>();
    models.add(new TransferModel(CANDIDATES, candidateFiles, candidates, evaluator.evaluate(candidates, MEASURES)));
    for (var model : rankers.entrySet()) {
      String name = model.getKey();
      StageCache.Stage stage = cache.stage("transfer-" + t.name() + "-" + name, scoringKey(model.getValue(),
          model.getValue().key(), candidateKey, candidates.queryIds(), t.depth()));
      Path file = stage.dir().resolve(split + ".trec");
      rerank(stage, name, model.getValue(), Map.of(file, candidates), task);
      Run run = TrecRunReader.read(file);
      EvalResult result = evaluator.evaluate(run, MEASURES);
      log("%-20s %s nDCG@10 %.4f MRR@10 %.4f", name, t.name(), result.mean(NDCG10), result.mean(MRR10));
      models.add(new TransferModel(name, List.of(file), run, result));
    }
    return new TransferResult(t, ds, String.format(Locale.ROOT, "top %d of %s", t.depth(), description), models);
  }

  private ModelResult evaluated(String name, String description, Path dir, List<Path> runFiles, Run train, Run test,
      RankingTask task, List<Trainer.EvalRecord> curve, Set<String> trainedOn) {
    int level = dataset.relevanceLevel();
    EvalResult trainResult = new Evaluator(task.trainQrels(), level).evaluate(train, MEASURES);
    EvalResult testResult = new Evaluator(task.testQrels(), level).evaluate(test, MEASURES);
    log("%-20s train nDCG@10 %.4f MRR@10 %.4f | test nDCG@10 %.4f MRR@10 %.4f", name, trainResult.mean(NDCG10),
        trainResult.mean(MRR10), testResult.mean(NDCG10), testResult.mean(MRR10));
    return new ModelResult(name, description, dir, runFiles, train, test, trainResult, testResult, curve, trainedOn);
  }

  /** The capacity stage's {@code capacity.json} (fits, rank, singular values of S). */
  private record Capacity(List<EmbeddingCapacityFit.Result> raw, List<EmbeddingCapacityFit.Result> normalised,
      int queries, int documents, int rank, double[] singularValues) {}

  /** The cached fits and, per k, the Eckart–Young bound, computed from S on every run (one SVD, not cached). */
  private record CapacityStudy(Capacity fits, List<EmbeddingCapacityFit.LowRankBound> bound) {}

  /**
   * Claim 1: free query/document vectors of each dimension k fitted to a full teacher score matrix, every
   * sampled train query × every document of a common pool (scored in a stage of its own). A full matrix is
   * needed: fitted on each query's own candidate list only, where lists hardly overlap, even k = 1 fits,
   * since each document's free vector absorbs its one score. Next to each k's fits, the best rank-k
   * approximation of S ({@link EmbeddingCapacityFit#eckartYoung}), which no fit can beat.
   */
  private CapacityStudy capacity(StageCache.Stage teacher, Map<String, Object> dataKey, RankingTask task)
      throws IOException {
    ExperimentConfig.Capacity c = cfg.capacity();
    List<String> qids = new ArrayList<>(task.trainCandidates().queryIds().stream().sorted().toList());
    Collections.shuffle(qids, new Random(cfg.seed()));
    qids = qids.subList(0, Math.min(c.queries(), qids.size()));
    List<String> pool = documentPool(qids, c.documents(), task);
    StageCache.Stage scoresStage = cache.stage("capacity-scores", scoringKey(teacher, teacher.key(), dataKey, qids,
        pool));
    Path scoresFile = scoresStage.dir().resolve("scores.txt");
    if (!scoresStage.done()) {
      log("stage %s: teacher scores of %d train queries x %d pool documents", scoresStage.dir(), qids.size(),
          pool.size());
      Map<String, List<String>> pairs = new LinkedHashMap<>();
      qids.forEach(q -> pairs.put(q, pool));
      try (ScoringModel m = scoringModel(teacher)) {
        TeacherScoring.score(m, pairs, task.queryTexts(), task.documentTexts(), scoresFile, 4,
            scoringInputs(scoresStage, teacher), false);
      }
      scoresStage.markDone(Map.of("file", scoresFile.getFileName().toString()));
    }
    StageCache.Stage stage = cache.stage("capacity", scoresStage.key(), c, cfg.seed());
    Path file = stage.dir().resolve("capacity.json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    TeacherScores scores = TeacherScores.read(scoresFile);
    float[][] s = new float[qids.size()][pool.size()];
    for (int i = 0; i < qids.size(); i++) {
      Map<String, Double> row = scores.scores(qids.get(i));
      for (int j = 0; j < pool.size(); j++) {
        s[i][j] = row.get(pool.get(j)).floatValue();
      }
    }
    CandidateScoreMatrix matrix = CandidateScoreMatrix.full(s);
    int[] dims = c.dimensions().stream().mapToInt(Integer::intValue).toArray();
    if (!stage.done()) {
      log("stage %s: capacity sweep on the %d x %d teacher score matrix", stage.dir(), qids.size(), pool.size());
      double[][] dense = matrix.zeroFilled();
      double[] sigma = NumericalRank.singularValues(dense);
      int rank = NumericalRank.above(sigma, NumericalRank.float32Tolerance(dense.length, dense[0].length));
      var base = EmbeddingCapacityFit.Config.of(RankingLosses.create(c.loss(), 0)).withSteps(c.steps(), c.learningRate())
          .withSeed(cfg.seed());
      var raw = EmbeddingCapacityFit.sweep(matrix, base, dims);
      var normalised = EmbeddingCapacityFit.sweep(matrix, base.withNormalisation(0.05, true), dims);
      Capacity result = new Capacity(raw, normalised, qids.size(), pool.size(), rank, sigma);
      AtomicFiles.writeFile(file, tmp -> json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), result));
      stage.markDone(Map.of("file", file.getFileName().toString()));
    }
    return new CapacityStudy(json.readValue(file.toFile(), Capacity.class),
        EmbeddingCapacityFit.eckartYoung(matrix, dims));
  }

  /**
   * The capacity matrix's documents: each query's relevant documents first (so every row holds a positive),
   * then the candidates of rank 1, 2, … of every query in turn, until {@code size} distinct documents.
   */
  private List<String> documentPool(List<String> qids, int size, RankingTask task) {
    Set<String> pool = new LinkedHashSet<>();
    for (String q : qids) {
      task.trainQrels().relevant(q, dataset.relevanceLevel()).stream().filter(task.documentTexts()::containsKey)
          .forEach(d -> {
            if (pool.size() < size) {
              pool.add(d);
            }
          });
    }
    for (int rank = 0; pool.size() < size; rank++) {
      boolean any = false;
      for (String q : qids) {
        List<ScoredDoc> ranking = task.trainCandidates().ranking(q);
        if (rank < ranking.size()) {
          any = true;
          if (pool.size() < size) {
            pool.add(ranking.get(rank).docId());
          }
        }
      }
      if (!any) {
        break;
      }
    }
    return new ArrayList<>(pool);
  }

  /** The precision a stage's model is scored in: the study's scoring precision, or fp32 for an ONNX graph. */
  private MatrixPrecision scoringPrecision(StageCache.Stage model) {
    return OnnxDirectory.isOnnxDirectory(model.dir()) ? MatrixPrecision.FP32 : scoringPrecision;
  }

  /** A stage's model, loaded to score in {@link #scoringPrecision(StageCache.Stage)}. */
  private ScoringModel scoringModel(StageCache.Stage model) throws IOException {
    ScoringModel m = ScoringModel.load(model.dir());
    m.setMatrixPrecision(scoringPrecision(model));
    return m;
  }

  /**
   * The key parts of a stage that scores with {@code model}: {@code parts}, then the scoring precision unless it
   * is fp32 (so that float32 stages keep the keys they always had).
   */
  private Object[] scoringKey(StageCache.Stage model, Object... parts) {
    MatrixPrecision p = scoringPrecision(model);
    if (p == MatrixPrecision.FP32) {
      return parts;
    }
    Object[] keyed = Arrays.copyOf(parts, parts.length + 1);
    keyed[parts.length] = Map.of("scoringPrecision", p.cliName());
    return keyed;
  }

  private static void log(String format, Object... args) {
    System.err.println("reproduce: " + String.format(Locale.ROOT, format, args));
  }
}

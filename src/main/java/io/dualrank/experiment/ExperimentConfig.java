package io.dualrank.experiment;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dualrank.data.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A reproduction study, read from {@code experiments/<name>.yaml}: the dataset, how candidates are made,
 * the CA teacher and DE student settings, the losses to compare, the capacity sweep, and the expected
 * figures (with tolerances) that a run is checked against, as in Anserini's regression configs.
 *
 * @param name the study's name (output folders are named after it)
 * @param dataset a dataset name or definition file, see {@link io.dualrank.data.Dataset#named}
 * @param seed seeds every model, sampler and fit
 * @param candidates {@code dataset} (the dataset's candidate runs) or {@code bm25} (made here, see bm25)
 * @param bm25 BM25 settings when candidates are made here
 * @param trainDepth candidates per train query that negatives and teacher scores come from
 * @param rerankDepth candidates per query re-ranked when evaluating
 * @param maxTrainQueries use at most this many judged train queries (0: all), a sample drawn with {@code seed}
 * @param maxTestQueries likewise for test
 * @param encoder pre-trained encoder of every model ({@code all-minilm-l6-v2}, ...), or
 *     {@code random:LAYERSxHIDDENxHEADS} for small random models (the quick profile)
 * @param teacher the CA teacher
 * @param student the DE students (all losses share these settings)
 * @param losses the student losses compared, each a {@link io.dualrank.loss.RankingLosses} name
 * @param inBatchOnehot also train a DE with one-hot loss and in-batch negatives
 * @param distillation temperatures and one-hot mixing weight of the distillation losses
 * @param evaluation how training is monitored and how train figures are sampled
 * @param capacity the free-embedding capacity sweep (claim 1)
 * @param learnedDimensions embedding dimensions k of extra DE one-hot students with a projection (claim 1);
 *     none when absent or empty
 * @param transfer zero-shot transfer sets: every model of the study re-ranks each set's BM25 candidates; none
 *     when absent (no stage and no report section)
 * @param expected figures the run must reproduce; none when absent
 */
public record ExperimentConfig(
    String name,
    String dataset,
    long seed,
    String candidates,
    Bm25 bm25,
    int trainDepth,
    int rerankDepth,
    int maxTrainQueries,
    int maxTestQueries,
    String encoder,
    Model teacher,
    Model student,
    List<String> losses,
    boolean inBatchOnehot,
    Distillation distillation,
    Evaluation evaluation,
    Capacity capacity,
    List<Integer> learnedDimensions,
    List<Transfer> transfer,
    List<ExpectedFigure> expected) {

  /** What {@link #name} may be: a simple file name, so that output folders stay inside their parents. */
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * Optional lists: {@code learnedDimensions}, {@code transfer} and {@code expected} may be left out (none).
   * Only the teacher may be a ready model ({@code model:}); students are trained.
   */
  public ExperimentConfig {
    if (student != null && student.model() != null) {
      throw new IllegalArgumentException("student.model: only the teacher can be a ready model; students are trained");
    }
    learnedDimensions = learnedDimensions == null ? List.of() : List.copyOf(learnedDimensions);
    transfer = transfer == null ? List.of() : List.copyOf(transfer);
    expected = expected == null ? List.of() : List.copyOf(expected);
  }

  /** BM25 candidate generation. */
  public record Bm25(float k1, float b, String fields) {}

  /**
   * One model's architecture and training.
   *
   * @param pooling DE only: mean or cls
   * @param normalize DE only: L2-normalised embeddings
   * @param temperature DE only: τ (initial value when learned)
   * @param learnTemperature DE only
   * @param negatives hard negatives per query group, from the query's candidates
   * @param crossQueryNegatives further negatives per group: other train queries' relevant documents (0 when
   *     absent); used where the model learns from labels (the CA, the DE one-hot students), not by distilled
   *     students, whose teacher scored the candidates only
   * @param model teacher only, optional: a ready CA (a model directory, or a Hugging Face one such as a
   *     BertForSequenceClassification cross-encoder) used as the teacher instead of training one (its training
   *     settings are then unused); stages that depend on it are keyed by the digest of its files
   * @param segmentCosine teacher only, optional (false): the CA's segment-cosine head at {@code temperature}
   *     ({@link io.dualrank.model.RankerConfig#segmentCosine})
   * @param crossSegmentWarmup teacher only, optional (0): steps of damped cross-segment attention
   *     ({@link io.dualrank.train.TrainSettings#crossSegmentWarmup})
   * @param encoder teacher only, optional: the CA's pre-trained body when it is not the study's {@code encoder}
   *     (a larger teacher, e.g. the 12-layer e5-small-v2 over a 6-layer MiniLM student)
   * @param ensembleWeight teacher only, optional (0): above 0, the teacher is the ensemble {@code (1 − w) z(CA) +
   *     w z(pre-trained DE)} ({@link io.dualrank.model.EnsembleModel}): a variant reported apart from the
   *     paper's CA teacher, which is then evaluated as {@code ca-alone}
   * @param startFrom teacher only, optional: another study's config file (e.g. {@code experiments/squad.yaml});
   *     this CA starts from that study's trained CA, a warm start ({@link io.dualrank.model.RankerModel#startingFrom}),
   *     instead of a new head on its body. That CA is found, or trained, in that study's own stage under the same
   *     work folder; this teacher's stages are keyed by it.
   * @param maxTrainQueries teacher only, optional (the study's sample): the CA trains on its own seeded sample of
   *     this many judged train queries (0: all), larger than the study's {@code maxTrainQueries}; drawn with the
   *     same seed from the same sorted ids, it holds the students' sample (a teacher that sees more queries than
   *     its students, as the paper's). Teacher scores, evaluations and the capacity matrix keep the study's sample.
   * @param microBatch optional (0: the whole batch): query groups per forward and backward pass, the step's
   *     gradient accumulated over passes ({@link io.dualrank.train.TrainSettings#microBatchQueries}): less memory
   *     for the same update. Not for students when {@code inBatchOnehot} is on (in-batch negatives need the batch)
   */
  public record Model(int maxQueryLength, int maxLength, String pooling, boolean normalize, float temperature,
      boolean learnTemperature, int steps, int batch, int negatives, int crossQueryNegatives, float lr,
      float warmup, String model, Boolean segmentCosine, Integer crossSegmentWarmup, String encoder,
      Double ensembleWeight, String startFrom, Integer maxTrainQueries, Integer microBatch) {
    public Model {
      segmentCosine = Boolean.TRUE.equals(segmentCosine);
      crossSegmentWarmup = crossSegmentWarmup == null ? 0 : crossSegmentWarmup;
      microBatch = microBatch == null ? 0 : microBatch;
      ensembleWeight = ensembleWeight == null ? 0 : ensembleWeight;
    }
  }

  /**
   * A zero-shot transfer set: a split of another dataset whose BM25 top {@code depth} every model of the study
   * re-ranks, untrained on it. The candidates are the split's own runs when its dataset ships them
   * (msmarco-dl), else BM25 made here over the split's judged queries.
   *
   * @param dataset a dataset name or definition file, as the study's {@code dataset}
   * @param split one of the splits its definition names
   * @param depth candidates re-ranked per query
   * @param bm25 optional: the BM25 settings when the candidates are made here (those of the dataset's own
   *     experiment config); the study's {@code bm25} when absent
   * @param maxQueries optional (0, all): a sample of at most this many of the split's judged queries, drawn with
   *     the study's seed (the quick profile's)
   */
  public record Transfer(String dataset, String split, Integer depth, Bm25 bm25, Integer maxQueries) {
    public Transfer {
      maxQueries = maxQueries == null ? 0 : maxQueries;
    }

    /** The set's name in stage folders and figure ids: the dataset's name (its file name) and the split. */
    public String name() {
      return Path.of(dataset).getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-" + split;
    }
  }

  /** Distillation losses' settings. */
  public record Distillation(double teacherTemperature, double studentTemperature, double alpha) {}

  /**
   * @param every evaluate during training every this many steps
   * @param queries queries sampled per split during training
   * @param depth candidates re-ranked per query during training
   * @param finalTrainQueries train queries sampled for the final train figures (all when fewer)
   */
  public record Evaluation(int every, int queries, int depth, int finalTrainQueries) {}

  /**
   * @param dimensions the k of the sweep
   * @param queries train queries (a seeded sample; all when fewer) of the score matrix
   * @param documents documents of the matrix's common pool: every sampled query's relevant documents, then
   *     candidates taken rank by rank across the queries; the teacher scores every query × pool document
   * @param steps Adam steps per fit
   * @param learningRate Adam's step size
   * @param loss the loss the free embeddings are fitted with
   */
  public record Capacity(List<Integer> dimensions, int queries, int documents, int steps, double learningRate,
      String loss) {
    public Capacity {
      if (queries < 1 || documents < 1) {
        throw new IllegalArgumentException("capacity needs queries >= 1 and documents >= 1, got " + queries + " and "
            + documents);
      }
    }
  }

  /** A figure ({@code model/split/measure}, e.g. {@code ca/test/ndcg_cut_10}) and its tolerance. */
  public record ExpectedFigure(String figure, double value, double tolerance) {}

  /** The quick profile's sample of train queries (a teacher with its own sample gets twice as many). */
  static final int QUICK_TRAIN_QUERIES = 24;

  /** The quick profile's sample of each transfer set's queries. */
  static final int QUICK_TRANSFER_QUERIES = 50;

  /**
   * The quick profile of this study: the same data and pipeline with tiny random-init models (2 layers of
   * width 64), a few train queries (twice as many for a teacher with its own sample) and steps, re-ranking depth
   * 10 (which leaves nDCG@10 and MRR@10 of the candidates unchanged), the same test queries, a short capacity
   * sweep, each transfer set cut to depth 10 and a seeded sample of {@value #QUICK_TRANSFER_QUERIES} of its
   * queries, and only the expected figures that do not depend on the models or on the train sample (BM25 on
   * test). It runs in minutes and checks every stage end to end.
   */
  public ExperimentConfig quick() {
    Model t = new Model(16, 96, teacher.pooling(), false, 1f, false, 32, 4, 3, teacher.crossQueryNegatives(), 1e-3f,
        0.1f, teacher.model(), teacher.segmentCosine(),
        Math.min(teacher.crossSegmentWarmup(), 16), null, teacher.ensembleWeight(), teacher.startFrom(),
        teacher.maxTrainQueries() == null ? null : 2 * QUICK_TRAIN_QUERIES, Math.min(teacher.microBatch(), 2));
    Model s = new Model(16, 64, student.pooling(), student.normalize(), student.temperature(),
        student.learnTemperature(), 16, 4, 3, student.crossQueryNegatives(), 1e-3f, 0.1f, null, false, 0, null, null,
        null, null, Math.min(student.microBatch(), 2));
    return new ExperimentConfig(name + "-quick", dataset, seed, candidates, bm25, 10, 10, QUICK_TRAIN_QUERIES,
        maxTestQueries, "random:2x64x2", t, s,
        losses, inBatchOnehot, distillation, new Evaluation(8, 8, 10, 12),
        new Capacity(List.of(1, 4, 16), 12, 24, 60, capacity.learningRate(), capacity.loss()), List.of(8),
        transfer.stream().map(x -> new Transfer(x.dataset(), x.split(), Math.min(x.depth(), 10), x.bm25(),
            x.maxQueries() == 0 ? QUICK_TRANSFER_QUERIES : Math.min(x.maxQueries(), QUICK_TRANSFER_QUERIES))).toList(),
        expected.stream().filter(e -> e.figure().startsWith("bm25/test/")).toList());
  }

  /**
   * Reads a config; malformed YAML, unknown keys (checked first: a typo is the usual reason a setting is
   * missing) and missing settings are errors naming the file, the line and the setting.
   */
  public static ExperimentConfig read(Path file) {
    YAMLMapper yaml = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    try {
      String unknown = unknownKey(yaml.readTree(file.toFile()), ExperimentConfig.class, "");
      if (unknown != null) {
        throw new InputFormatException(file, lineOfSetting(file, unknown),
            "an experiment config: no setting `" + unknown + "` exists");
      }
      String missing = missingKey(yaml.readTree(file.toFile()), ExperimentConfig.class, "");
      if (missing != null) {
        throw new InputFormatException(file, 0, "an experiment config with the setting `" + missing + "` (only "
            + OPTIONAL + " may be left out; the README lists every setting)");
      }
      ExperimentConfig config = yaml.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .readValue(file.toFile(), ExperimentConfig.class);
      if (config.name() == null || !SIMPLE_NAME.matcher(config.name()).matches()) {
        throw new InputFormatException(file, lineOfKey(file, "name"), "an experiment config: a name that is a"
            + " simple file name (letters, digits, '.', '_', '-', not starting with '.'), found '" + config.name()
            + "': it names the work and report folders");
      }
      List<String> problems = config.problems();
      if (!problems.isEmpty()) {
        String first = problems.get(0).substring(0, problems.get(0).indexOf(':'));
        throw new InputFormatException(file, lineOfSetting(file, first), "a valid experiment config; found "
            + problems.size() + " problem"
            + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
      }
      return config;
    } catch (JacksonException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String setting = e instanceof JsonMappingException m ? settingPath(m) : "";
      throw new InputFormatException(file, line, "an experiment config: " + e.getOriginalMessage()
          + (setting.isEmpty() ? "" : " (setting " + setting + ")"), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Measures an {@code expected:} figure may name: those the report computes for every model and split. */
  public static final List<String> FIGURE_MEASURES = List.of("ndcg_cut_10", "recip_rank_cut_10", "map", "recip_rank");

  /**
   * Everything wrong with this config that can be told without its data, as {@code setting: problem}
   * lines (empty: none): values out of range, unknown names (losses, pooling, BM25 fields, encoder), and
   * expected figures naming a model, split or measure this study does not produce. The dataset is checked
   * by {@link ReproductionPipeline#check()}; both run before the first stage.
   */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      p.add("name: letters, digits, '.', '_' or '-' (it names folders), found '" + name + "'");
    }
    if (dataset == null || dataset.isBlank()) {
      p.add("dataset: a dataset name or definition file");
    }
    if (!"dataset".equals(candidates) && !"bm25".equals(candidates)) {
      p.add("candidates: 'dataset' (the dataset's runs) or 'bm25' (made here), found '" + candidates + "'");
    }
    if ("bm25".equals(candidates)) {
      if (bm25 == null) {
        p.add("bm25: k1, b and fields, needed with candidates: bm25");
      } else {
        bm25(p, "bm25", bm25);
      }
    }
    check(p, trainDepth >= 2, "trainDepth: at least 2, found " + trainDepth);
    check(p, rerankDepth >= 1, "rerankDepth: at least 1, found " + rerankDepth);
    check(p, maxTrainQueries >= 0, "maxTrainQueries: 0 (all) or more, found " + maxTrainQueries);
    check(p, maxTestQueries >= 0, "maxTestQueries: 0 (all) or more, found " + maxTestQueries);
    try {
      io.dualrank.model.EncoderSpec.parse(encoder);
    } catch (IllegalArgumentException | NullPointerException e) {
      p.add("encoder: " + e.getMessage());
    }
    model(p, "teacher", teacher, false);
    model(p, "student", student, true);
    check(p, !inBatchOnehot || student == null || student.microBatch() == 0 || student.microBatch() >= student.batch(),
        "student.microBatch: inBatchOnehot's DE needs the whole batch in one pass (every document of the batch is a"
            + " negative of every query); leave it out or turn inBatchOnehot off");
    Integer teacherQueries = teacher == null ? null : teacher.maxTrainQueries();
    check(p, teacherQueries == null || maxTrainQueries > 0 && (teacherQueries == 0 || teacherQueries > maxTrainQueries),
        "teacher.maxTrainQueries: 0 (all) or more than the study's maxTrainQueries (" + maxTrainQueries + "), whose"
            + " sample it extends, which must then be a sample (above 0); found " + teacherQueries);
    if (losses == null || losses.isEmpty()) {
      p.add("losses: at least one of " + io.dualrank.loss.RankingLosses.NAMES);
    } else {
      for (int i = 0; i < losses.size(); i++) {
        check(p, io.dualrank.loss.RankingLosses.NAMES.contains(losses.get(i)), "losses[" + i + "]: one of "
            + io.dualrank.loss.RankingLosses.NAMES + ", found '" + losses.get(i) + "'");
      }
    }
    if (distillation == null) {
      p.add("distillation: teacherTemperature, studentTemperature and alpha");
    } else {
      check(p, distillation.teacherTemperature() > 0 && distillation.studentTemperature() > 0,
          "distillation: temperatures > 0");
      check(p, distillation.alpha() >= 0 && distillation.alpha() <= 1, "distillation.alpha: in [0, 1], found "
          + distillation.alpha());
    }
    if (evaluation == null) {
      p.add("evaluation: every, queries, depth and finalTrainQueries");
    } else {
      check(p, evaluation.every() >= 1 && evaluation.queries() >= 1 && evaluation.depth() >= 1
          && evaluation.finalTrainQueries() >= 1, "evaluation: every, queries, depth and finalTrainQueries >= 1");
    }
    if (capacity == null) {
      p.add("capacity: dimensions, queries, documents, steps, learningRate and loss");
    } else {
      check(p, capacity.dimensions() != null && !capacity.dimensions().isEmpty()
          && capacity.dimensions().stream().allMatch(k -> k != null && k >= 1), "capacity.dimensions: a list of k >= 1");
      check(p, capacity.steps() >= 1 && capacity.learningRate() > 0, "capacity: steps >= 1 and learningRate > 0");
      check(p, io.dualrank.loss.RankingLosses.NAMES.contains(capacity.loss()), "capacity.loss: one of "
          + io.dualrank.loss.RankingLosses.NAMES + ", found '" + capacity.loss() + "'");
    }
    for (int i = 0; i < learnedDimensions.size(); i++) {
      Integer k = learnedDimensions.get(i);
      check(p, k != null && k >= 1, "learnedDimensions[" + i + "]: k >= 1, found " + k);
    }
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < transfer.size(); i++) {
      transfer(p, "transfer[" + i + "]", transfer.get(i), sets);
    }
    List<String> models = models();
    for (int i = 0; i < expected.size(); i++) {
      ExpectedFigure e = expected.get(i);
      String[] parts = e.figure() == null ? new String[0] : e.figure().split("/");
      boolean transferFigure = parts.length == 4 && TRANSFER.equals(parts[0]) && sets.contains(parts[1])
          && models.contains(parts[2]) && FIGURE_MEASURES.contains(parts[3]);
      boolean capacityFigure = parts.length == 3 && CAPACITY.equals(parts[0]) && capacity != null
          && capacity.dimensions().stream().anyMatch(k -> parts[1].equals("k" + k)) && CAPACITY_ERRORS.contains(parts[2]);
      if (!transferFigure && !capacityFigure && (parts.length != 3 || !models.contains(parts[0])
          || !FIGURE_SPLITS.contains(parts[1]) || !FIGURE_MEASURES.contains(parts[2]))) {
        p.add("expected[" + i + "].figure: MODEL/SPLIT/MEASURE with MODEL one of " + models + ", SPLIT one of "
            + FIGURE_SPLITS + ", MEASURE one of " + FIGURE_MEASURES + ", or " + CAPACITY
            + "/kK/ERROR with K a capacity dimension and ERROR one of " + CAPACITY_ERRORS + (sets.isEmpty() ? ""
                : ", or " + TRANSFER + "/SET/MODEL/MEASURE with SET one of " + sets) + "; found '" + e.figure() + "'");
      }
      check(p, e.tolerance() >= 0, "expected[" + i + "].tolerance: at least 0, found " + e.tolerance());
    }
    return p;
  }

  /** The names of the models this study evaluates, as they appear in figure ids and the report. */
  public List<String> models() {
    List<String> m = new ArrayList<>(List.of("bm25"));
    boolean random = encoder != null && encoder.startsWith(io.dualrank.model.RankerConfig.RANDOM_INIT);
    if (!random) {
      m.add("de-pretrained");
    }
    if (teacher != null && teacher.ensembleWeight() > 0) {
      m.add("ca-alone");
    }
    m.add("ca");
    if (losses != null) {
      losses.forEach(l -> m.add("de-" + l));
    }
    if (inBatchOnehot) {
      m.add("de-onehot-inbatch");
    }
    learnedDimensions.forEach(k -> m.add("de-onehot-k" + k));
    return m;
  }

  /** The split of a figure id over the sampled train queries the model trained on. */
  public static final String TRAINED_ON = "trained-on";

  /**
   * The splits of the figure ids {@code MODEL/SPLIT/MEASURE}: the train sample, those of its queries the model
   * trained on (models trained in the study only), and test.
   */
  public static final List<String> FIGURE_SPLITS = List.of("train", TRAINED_ON, "test");

  /** The first part of the figure ids of the transfer sets: {@code transfer/SET/MODEL/MEASURE}. */
  public static final String TRANSFER = "transfer";

  /** The first part of the capacity sweep's figure ids: {@code capacity/kK/ERROR}. */
  public static final String CAPACITY = "capacity";

  /** The ERROR of those ids, each k's relative errors: the Eckart–Young floor, the raw fit's, the L2 fit's. */
  public static final List<String> CAPACITY_ERRORS = List.of("eckart-young", "error-raw", "error-l2");

  private static void bm25(List<String> p, String key, Bm25 bm25) {
    check(p, bm25.k1() > 0 && bm25.b() >= 0 && bm25.b() <= 1, key + ": k1 > 0 and 0 <= b <= 1");
    check(p, bm25.fields() != null && List.of("flat", "multifield").contains(bm25.fields()),
        key + ".fields: 'flat' (title and text as one field) or 'multifield', found '" + bm25.fields() + "'");
  }

  /**
   * A transfer set's problems: its dataset's definition must exist and define the split (read without the
   * data), depth at least 1, and no two sets alike; the set's name is added to {@code names}.
   */
  private void transfer(List<String> p, String key, Transfer t, List<String> names) {
    if (t == null || t.dataset() == null || t.dataset().isBlank() || t.split() == null || t.depth() == null) {
      p.add(key + ": dataset, split and depth (bm25 and maxQueries may be left out)");
      return;
    }
    Path definition = io.dualrank.data.Dataset.definitionFile(t.dataset());
    if (!Files.isRegularFile(definition)) {
      p.add(key + ".dataset: a dataset name (datasets/NAME.yaml) or definition file; no file " + definition);
    } else {
      java.util.Set<String> splits = io.dualrank.data.Dataset.splitNames(definition);
      check(p, splits.contains(t.split()), key + ".split: one of " + splits + " (the splits " + definition
          + " defines), found '" + t.split() + "'");
    }
    check(p, t.depth() >= 1, key + ".depth: at least 1, found " + t.depth());
    check(p, t.maxQueries() >= 0, key + ".maxQueries: 0 (all) or more, found " + t.maxQueries());
    if (t.bm25() != null) {
      bm25(p, key + ".bm25", t.bm25());
    } else {
      check(p, bm25 != null, key + ".bm25: BM25 settings, here or the study's bm25");
    }
    check(p, !names.contains(t.name()), key + ": the set " + t.name() + " is given twice");
    names.add(t.name());
  }

  private static void model(List<String> p, String key, Model m, boolean dualEncoder) {
    if (m == null) {
      p.add(key + ": the model's settings (maxQueryLength, maxLength, ..., warmup)");
      return;
    }
    check(p, m.maxQueryLength() >= 3 && m.maxLength() >= 3 && m.maxLength() <= 512, key
        + ": 3 <= maxQueryLength and 3 <= maxLength <= 512 word pieces");
    check(p, dualEncoder || m.maxQueryLength() < m.maxLength(), key + ": maxQueryLength below maxLength (the CA"
        + " reads query and document as one input)");
    check(p, m.pooling() != null && List.of("mean", "cls").contains(m.pooling()), key + ".pooling: mean or cls, found '"
        + m.pooling() + "'");
    check(p, m.temperature() > 0, key + ".temperature: above 0");
    check(p, !(dualEncoder && m.segmentCosine()), key + ".segmentCosine: a CA head; a DE scores by cosine with normalize");
    check(p, !dualEncoder || m.crossSegmentWarmup() == 0, key + ".crossSegmentWarmup: a CA setting; a DE's segments"
        + " never meet");
    check(p, m.crossSegmentWarmup() >= 0 && m.crossSegmentWarmup() <= m.steps(), key + ".crossSegmentWarmup: 0 to"
        + " steps");
    check(p, !dualEncoder || m.encoder() == null, key + ".encoder: the students use the study's encoder");
    check(p, m.ensembleWeight() >= 0 && m.ensembleWeight() < 1 && (!dualEncoder || m.ensembleWeight() == 0),
        key + ".ensembleWeight: the teacher's, in [0, 1)");
    check(p, !dualEncoder || m.startFrom() == null, key + ".startFrom: the teacher's; the students start from the"
        + " study's encoder");
    check(p, m.startFrom() == null || m.model() == null, key + ".startFrom: a ready teacher (model) is not trained");
    check(p, !dualEncoder || m.maxTrainQueries() == null, key + ".maxTrainQueries: the teacher's; the students train on"
        + " the study's sample");
    check(p, m.maxTrainQueries() == null || m.model() == null, key + ".maxTrainQueries: a ready teacher (model) is not"
        + " trained");
    if (m.encoder() != null) {
      try {
        io.dualrank.model.EncoderSpec.parse(m.encoder());
      } catch (RuntimeException e) {
        p.add(key + ".encoder: " + e.getMessage());
      }
    }
    check(p, m.steps() >= 1 && m.batch() >= 1 && m.negatives() >= 1, key + ": steps, batch and negatives >= 1");
    check(p, m.crossQueryNegatives() >= 0, key + ".crossQueryNegatives: 0 or more");
    check(p, m.lr() > 0 && m.warmup() >= 0 && m.warmup() <= 1, key + ": lr > 0 and 0 <= warmup <= 1");
    check(p, m.microBatch() >= 0 && m.microBatch() <= m.batch(), key + ".microBatch: 0 (the whole batch) to batch ("
        + m.batch() + "), found " + m.microBatch());
  }

  private static void check(List<String> problems, boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  /** The settings that may be left out (see the compact constructor); every other one must be given. */
  static final List<String> OPTIONAL = List.of("learnedDimensions", "transfer", "expected", "teacher.model",
      "student.model",
      "teacher.segmentCosine", "student.segmentCosine", "teacher.crossSegmentWarmup", "student.crossSegmentWarmup",
      "teacher.encoder", "student.encoder", "teacher.ensembleWeight", "student.ensembleWeight", "teacher.startFrom",
      "student.startFrom", "teacher.maxTrainQueries", "student.maxTrainQueries", "teacher.microBatch",
      "student.microBatch");

  /** The first setting, as a dotted path, that {@code type} (a record) has and {@code node} lacks. */
  private static String missingKey(JsonNode node, Class<?> record, String path) {
    for (RecordComponent c : record.getRecordComponents()) {
      String here = path.isEmpty() ? c.getName() : path + "." + c.getName();
      JsonNode value = node == null ? null : node.get(c.getName());
      if (value == null || value.isNull()) {
        if (OPTIONAL.contains(here)) {
          continue;
        }
        return here;
      }
      if (c.getType().isRecord()) {
        String key = missingKey(value, c.getType(), here);
        if (key != null) {
          return key;
        }
      }
    }
    return null;
  }

  /** The first key of {@code node}, as a dotted path, that {@code type} (a record or a list of them) lacks. */
  private static String unknownKey(JsonNode node, Type type, String path) {
    if (type instanceof ParameterizedType list && List.class.equals(list.getRawType()) && node.isArray()) {
      for (JsonNode element : node) {
        String key = unknownKey(element, list.getActualTypeArguments()[0], path);
        if (key != null) {
          return key;
        }
      }
      return null;
    }
    if (!(type instanceof Class<?> record) || !record.isRecord() || !node.isObject()) {
      return null;
    }
    Map<String, Type> components = new HashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      components.put(c.getName(), c.getGenericType());
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String here = path.isEmpty() ? name : path + "." + name;
      if (!components.containsKey(name)) {
        return here;
      }
      String key = unknownKey(node.get(name), components.get(name), here);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  /** The first line where {@code key} appears as a YAML key (block or flow style); 0 when none does. */
  private static long lineOfKey(Path file, String key) throws IOException {
    return lineOfKey(Files.readAllLines(file), key, 0) + 1;
  }

  /**
   * The index of the first line from {@code from} on where {@code key} appears as a YAML key (not in a
   * comment); -1 when none does.
   */
  private static int lineOfKey(List<String> lines, String key, int from) {
    Pattern pattern = Pattern.compile("(^|[\\s{,])" + Pattern.quote(key) + "\\s*:");
    for (int i = Math.max(from, 0); i < lines.size(); i++) {
      if (pattern.matcher(uncommented(lines.get(i))).find()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The line of a setting given as a dotted path ({@code student.pooling}, {@code transfer[1].depth}): each
   * key searched from the line of the one before, an index {@code [i]} of a block list moving to its (i+1)-th
   * {@code -} entry; the line of the last key found (0 when none is).
   */
  private static long lineOfSetting(Path file, String setting) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int line = -1;
    for (String part : setting.split("\\.")) {
      java.util.regex.Matcher indexed = Pattern.compile("(.*)\\[(\\d+)]").matcher(part);
      int found = lineOfKey(lines, indexed.matches() ? indexed.group(1) : part, line);
      if (found < 0) {
        break;
      }
      line = found;
      if (indexed.matches() && uncommented(lines.get(line)).strip().endsWith(":")) {
        for (int entry = -1, i = line + 1; i < lines.size(); i++) {
          if (lines.get(i).stripLeading().startsWith("- ") && ++entry == Integer.parseInt(indexed.group(2))) {
            line = i;
            break;
          }
        }
      }
    }
    return line + 1;
  }

  /** A YAML line without its comment. */
  private static String uncommented(String line) {
    return line.replaceFirst("(^|\\s)#.*", "");
  }

  /** A mapping error's setting as a dotted path ({@code capacity.documents}). */
  private static String settingPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}

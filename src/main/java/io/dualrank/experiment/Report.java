package io.dualrank.experiment;

import static io.dualrank.experiment.ReproductionPipeline.MAP;
import static io.dualrank.experiment.ReproductionPipeline.MRR;
import static io.dualrank.experiment.ReproductionPipeline.MRR10;
import static io.dualrank.experiment.ReproductionPipeline.NDCG10;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.analysis.Charts;
import io.dualrank.analysis.EmbeddingCapacityFit;
import io.dualrank.analysis.NumericalRank;
import io.dualrank.analysis.ScoreMargins;
import io.dualrank.data.DataFingerprint;
import io.dualrank.eval.Measure;
import io.dualrank.eval.PairedComparison;
import io.dualrank.eval.PairedTests;
import io.dualrank.experiment.ReproductionPipeline.ModelResult;
import io.dualrank.experiment.ReproductionPipeline.Outcome;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.GitInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The self-contained report of a reproduction: {@code README.md} with the tables of the three claims, PNG
 * plots beside it, {@code figures.json} (every figure by name {@code model/split/measure}, split {@code train},
 * {@code trained-on} or {@code test}, and the capacity
 * sweep's relative errors as {@code capacity/kK/eckart-young|error-raw|error-l2}, and each transfer set's
 * figures as {@code transfer/SET/MODEL/MEASURE}), and the check of the config's expected figures.
 */
public final class Report {
  private static final int TRIALS = 10_000;
  private final Outcome o;
  private final Path dir;
  private final String command;
  private final Map<String, Double> figures = new LinkedHashMap<>();
  private final StringBuilder md = new StringBuilder();

  /** One expected figure checked. */
  public record Check(String figure, double expected, double tolerance, Double measured, boolean ok) {}

  public Report(Outcome outcome, Path dir, String command) {
    this.o = outcome;
    this.dir = dir;
    this.command = command;
    for (ModelResult m : outcome.models()) {
      Set<String> trainedOn = trainedOn(m);
      for (Measure measure : ReproductionPipeline.MEASURES) {
        figures.put(m.name() + "/train/" + measure.name(), m.train().mean(measure));
        figures.put(m.name() + "/test/" + measure.name(), m.test().mean(measure));
        if (!trainedOn.isEmpty()) {
          figures.put(m.name() + "/" + ExperimentConfig.TRAINED_ON + "/" + measure.name(),
              mean(m.train().perQuery(measure), trainedOn));
        }
      }
    }
    for (int i = 0; i < outcome.capacityRaw().size(); i++) {
      String k = ExperimentConfig.CAPACITY + "/k" + outcome.capacityRaw().get(i).dimension() + "/";
      List<String> errors = ExperimentConfig.CAPACITY_ERRORS;
      figures.put(k + errors.get(0), relativeError(outcome.capacityBound().get(i)));
      figures.put(k + errors.get(1), relativeError(outcome.capacityRaw().get(i)));
      figures.put(k + errors.get(2), relativeError(outcome.capacityNormalised().get(i)));
    }
    for (ReproductionPipeline.TransferResult t : outcome.transfers()) {
      for (ReproductionPipeline.TransferModel m : t.models()) {
        for (Measure measure : ReproductionPipeline.MEASURES) {
          figures.put(ExperimentConfig.TRANSFER + "/" + t.set().name() + "/" + m.name() + "/" + measure.name(),
              m.result().mean(measure));
        }
      }
    }
  }

  /** Every figure by name. */
  public Map<String, Double> figures() {
    return figures;
  }

  /** The config's expected figures against the measured ones. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    for (var e : o.config().expected()) {
      Double measured = figures.get(e.figure());
      checks.add(new Check(e.figure(), e.value(), e.tolerance(), measured,
          measured != null && Math.abs(measured - e.value()) <= e.tolerance() + 1e-12));
    }
    return checks;
  }

  /** Writes the report; returns the checks. */
  public List<Check> write() throws IOException {
    Files.createDirectories(dir);
    header();
    dataFiles();
    mainTable();
    claim1();
    claim2();
    claim3();
    transfer();
    List<Check> checks = checks();
    expected(checks);
    stageTimes();
    dropped();
    AtomicFiles.writeText(dir.resolve("README.md"), w -> w.write(md.toString()));
    AtomicFiles.writeFile(dir.resolve("figures.json"),
        tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), figures));
    return checks;
  }

  private void header() {
    var c = o.config();
    line("# Reproduction: %s", c.name());
    line("");
    line("*In defense of dual-encoders for neural ranking* (Menon et al., ICML 2022), re-run on `%s` by dualrank.",
        c.dataset());
    line("");
    if (o.dataset().embedded()) {
      line("> **This run used the embedded sample `%s`** (shipped in the repository: %d documents, %d train and %d"
              + " test queries), with short trainings: its figures show that every stage works, not the paper's"
              + " claims. The full studies, on data under a data root (`--data DIR`, `$DUALRANK_DATA` or"
              + " `../shared/data`): `bin/dualrank data fetch scifact` then `bin/dualrank reproduce --config"
              + " experiments/scifact.yaml` (about 4 h on 2 cores), or `bin/dualrank reproduce --config"
              + " experiments/msmarco-dl.yaml` (about 3 h; the MS MARCO files are brought by hand, see the"
              + " README).", o.dataset().name(), o.dataset().corpus().count(), o.task().trainQrels().queryIds().size(),
          o.task().testQrels().queryIds().size());
      line("");
    }
    line("- command: `%s`", command);
    line("- commit: `%s`; date: %s; machine: %d CPUs, %s, Java %s", GitInfo.current().describe(), LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), System.getProperty("java.version"));
    line("- matrix products: training steps in %s, re-ranking and teacher scoring in %s (models run by DJL/PyTorch;"
        + " an ONNX graph in fp32)", o.trainingPrecision().cliName(), o.scoringPrecision().cliName());
    var stages = o.stages();
    double study = stages.seconds().values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sum();
    long unrecorded = stages.seconds().values().stream().filter(v -> v.isNaN()).count();
    line("- time of the study: %s, the compute times of its %d stages as recorded when each was computed%s (see"
            + " Stage times below)", unrecorded == stages.count() ? "not recorded" : duration(study), stages.count(),
        unrecorded == 0 ? "" : "; " + unrecorded + " stages, made by older builds, recorded none");
    line("- this run: %s; stages computed by it: %s (%d of %d; the others were reused from `%s`)",
        duration(o.seconds()), stages.computed().isEmpty() ? "none" : String.join(", ", stages.computed()),
        stages.computed().size(), stages.count(), stages.dir());
    line("- data: %d train queries (figures on a sample of %d), %d test queries; candidates: %s, re-ranked to depth %d",
        o.task().trainCandidates().queryIds().size(), trainQueries(), o.task().testCandidates().queryIds().size(),
        o.models().get(0).description(), c.rerankDepth());
    var dropped = o.droppedTrainQueries();
    line("- train queries dropped from training (nothing to learn from them): %d of %d%s",
        dropped.size(), c.maxTrainQueries() > 0 ? o.task().trainCandidates().queryIds().size()
            : o.task().trainQrels().queryIds().size(), dropped.isEmpty() ? "" : ", listed [below](#dropped-train-queries)");
    String teacher = c.teacher().model() != null ? "the ready model `" + c.teacher().model() + "`"
        : String.format(Locale.ROOT, "%s%d steps × %d queries%s × (1 + %d%s) documents, max length %d%s%s",
            c.teacher().encoder() != null ? "body `" + c.teacher().encoder() + "`, " : "", c.teacher().steps(),
            c.teacher().batch(),
            c.teacher().microBatch() > 0 ? " (in passes of " + c.teacher().microBatch() + ")" : "",
            c.teacher().negatives(),
            c.teacher().crossQueryNegatives() > 0 ? " + " + c.teacher().crossQueryNegatives() + " cross-query" : "",
            c.teacher().maxLength(),
            c.teacher().segmentCosine() ? ", segment-cosine head (τ = " + c.teacher().temperature() + ")" : "",
            c.teacher().crossSegmentWarmup() > 0
                ? ", cross-segment attention damped for " + c.teacher().crossSegmentWarmup() + " steps" : "")
        + teacherSample(c);
    line("- encoder: `%s`; teacher: %s; students: %d steps"
            + " × %d queries × (1 + %d), max document length %d, %s pooling%s, seed %d",
        c.encoder(), teacher, c.student().steps(), c.student().batch(), c.student().negatives(),
        c.student().maxLength(),
        c.student().pooling(), c.student().normalize() ? String.format(Locale.ROOT, ", L2-normalised, τ = %s%s",
            c.student().temperature(), c.student().learnTemperature() ? " (learned)" : "") : "", c.seed());
    line("");
  }

  /** Which files the study read, so that a report made on other data (a sample, say) is never taken for this. */
  private void dataFiles() {
    DataFingerprint data = ReproductionPipeline.fingerprint(o.dataset());
    line("## Data");
    line("");
    line("Dataset `%s`, data root `%s`:", data.dataset(), data.dataRoot());
    line("");
    line("| file | role | bytes | SHA-256 |");
    line("|---|---|---|---|");
    for (DataFingerprint.DataFile f : data.files()) {
      line("| `%s` | %s | %d | `%s` |", f.path(), f.role(), f.bytes(), f.sha256());
    }
    line("");
  }

  private int trainQueries() {
    return o.models().get(0).train().queryIds().size();
  }

  private void mainTable() {
    line("## All rankers, train and test");
    line("");
    line("Re-ranking the candidates (to depth %d, so MAP and MRR without cut-off count only relevant documents"
        + " found there); train figures on the same sample of train queries for every model.", o.config().rerankDepth());
    line("");
    line("| ranker | train nDCG@10 | train MRR@10 | test nDCG@10 | test MRR@10 | test MAP | test MRR | MRR@10 gap"
        + " (train − test) | runs |");
    line("|---|---|---|---|---|---|---|---|---|");
    for (ModelResult m : o.models()) {
      line("| `%s` — %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %+.4f | %s |", m.name(), m.description(),
          m.train().mean(NDCG10), m.train().mean(MRR10), m.test().mean(NDCG10), m.test().mean(MRR10),
          m.test().mean(MAP), m.test().mean(MRR), m.train().mean(MRR10) - m.test().mean(MRR10), links(m));
    }
    line("");
    caAgainstDe();
  }

  /** Links to a model's run files, relative to the report. */
  private String links(ModelResult m) {
    List<String> links = new ArrayList<>();
    for (Path run : m.runFiles()) {
      Path abs = run.toAbsolutePath().normalize();
      links.add(String.format("[%s](%s)", run.getFileName(),
          dir.toAbsolutePath().normalize().relativize(abs).toString().replace('\\', '/')));
    }
    return String.join(" ", links);
  }

  /** The central comparison: the CA teacher against the DE trained on the same labels (one-hot CE). */
  private void caAgainstDe() {
    Optional<ModelResult> ca = model("ca");
    Optional<ModelResult> de = model("de-onehot");
    if (ca.isEmpty() || de.isEmpty()) {
      return;
    }
    line("### CA against DE one-hot (test)");
    line("");
    line("Paired over the %d test queries; two-sided p-values of a paired t-test and of a randomisation test (%d"
        + " sign flips, seed %d). Δ = CA − DE one-hot.", de.get().test().queryIds().size(), TRIALS, o.config().seed());
    line("");
    line("| measure | CA | DE one-hot | Δ | p (t) | p (rand.) |");
    line("|---|---|---|---|---|---|");
    for (var measure : List.of(NDCG10, MRR10)) {
      PairedComparison c = PairedTests.compare(de.get().test(), ca.get().test(), measure, TRIALS, o.config().seed());
      line("| %s | %.4f | %.4f | %+.4f | %s | %s |", measure.name(), c.meanB(), c.meanA(), c.difference(),
          pValue(c.tTestP()), pValue(c.randomizationP()));
    }
    line("");
  }

  /** A p-value with four decimals, or {@code < 0.0001} below that. */
  static String pValue(double p) {
    return p < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
  }

  private void claim1() throws IOException {
    line("## Claim 1 — capacity: a DE of large enough dimension can represent the teacher's scores");
    line("");
    line("Free query and document vectors of dimension k fitted (Adam, %d steps, loss `%s`) to a full matrix S of"
            + " CA teacher scores: %d train queries × a common pool of %d documents (every sampled query's relevant"
            + " documents, then BM25 candidates rank by rank across the queries), every pair scored. Score error:"
            + " RMSE after per-query centring and the best global scale, divided by the teacher's own spread (1 = no"
            + " better than a constant); ranking agreement over the whole pool: MRR@10 of the teacher's top-1 and"
            + " Kendall τ-b. Numerical rank of S (float32 tolerance): **%d**; singular values above 10%% / 1%% of"
            + " the largest: %d / %d. Best rank-k (Eckart–Young): the same error of the truncated SVD of the"
            + " per-query-centred S, √(Σ_{i>k} σ_i² / Σ_i σ_i²) with σ its singular values — the least error of"
            + " any rank-k matrix, hence a floor for both fits (a k-dimensional DE's scores have rank ≤ k; L2"
            + " normalisation only restricts them further); a raw DE can reach it, so a raw fit above it is"
            + " what the loss and the optimiser leave (with `mse` the per-query offsets take one dimension).",
        o.config().capacity().steps(), o.config().capacity().loss(), o.capacityQueries(), o.capacityDocuments(),
        o.scoreMatrixRank(), NumericalRank.above(o.singularValues(), 0.1),
        NumericalRank.above(o.singularValues(), 0.01));
    line("");
    int cap = Math.min(o.capacityQueries(), o.capacityDocuments());
    if (o.scoreMatrixRank() >= cap) {
      line("The rank of S is capped here: it equals min(queries, documents) = %d, the %s, so S is full rank and"
          + " the k at which the fit becomes exact only reflects the sample's size; more sampled %s would show"
          + " whether the teacher's scores have a lower rank.", cap,
          o.capacityQueries() <= o.capacityDocuments() ? "number of sampled queries" : "size of the document pool",
          o.capacityQueries() <= o.capacityDocuments() ? "queries" : "documents");
      line("");
    }
    line("| k | best rank-k (Eckart–Young) | error (raw) | error (L2 + learned τ) | MRR@10 (raw) | τ (raw) |"
        + " MRR@10 (L2) | τ (L2) |");
    line("|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < o.capacityRaw().size(); i++) {
      var r = o.capacityRaw().get(i);
      var n = o.capacityNormalised().get(i);
      var b = o.capacityBound().get(i);
      line("| %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |", r.dimension(), relativeError(b),
          relativeError(r), relativeError(n), r.mrrAt10(), r.meanKendallTau(), n.mrrAt10(), n.meanKendallTau());
    }
    line("");
    List<Charts.Series> series = List.of(
        new Charts.Series("best rank-k (Eckart–Young)", o.capacityBound().stream()
            .map(b -> new double[] {b.dimension(), relativeError(b)}).toList()),
        series("error, raw", o.capacityRaw(), Report::relativeError),
        series("MRR@10, raw", o.capacityRaw(), EmbeddingCapacityFit.Result::mrrAt10),
        series("Kendall τ, raw", o.capacityRaw(), EmbeddingCapacityFit.Result::meanKendallTau),
        series("error, L2", o.capacityNormalised(), Report::relativeError),
        series("MRR@10, L2", o.capacityNormalised(), EmbeddingCapacityFit.Result::mrrAt10),
        series("Kendall τ, L2", o.capacityNormalised(), EmbeddingCapacityFit.Result::meanKendallTau));
    Charts.lines(dir.resolve("capacity.png"), "Fitting the teacher's scores with k-dimensional embeddings",
        "embedding dimension k", "value", series, true, o.scoreMatrixRank(), "rank(S)");
    line("![capacity](capacity.png)");
    line("");
    List<ModelResult> byK = new ArrayList<>();
    for (ModelResult m : o.models()) {
      if (m.name().startsWith("de-onehot-k")) {
        byK.add(m);
      }
    }
    Optional<ModelResult> full = model("de-onehot");
    if (!byK.isEmpty() && full.isPresent()) {
      line("Learned DEs (one-hot CE) with a projection to k dimensions, and without one (k = hidden size):");
      line("");
      line("| k | train MRR@10 | test MRR@10 | train nDCG@10 | test nDCG@10 |");
      line("|---|---|---|---|---|");
      List<double[]> train = new ArrayList<>();
      List<double[]> test = new ArrayList<>();
      List<ModelResult> all = new ArrayList<>(byK);
      all.add(full.get());
      for (ModelResult m : all) {
        int k = m == full.get() ? hidden() : Integer.parseInt(m.name().substring("de-onehot-k".length()));
        line("| %d | %.4f | %.4f | %.4f | %.4f |", k, m.train().mean(MRR10), m.test().mean(MRR10),
            m.train().mean(NDCG10), m.test().mean(NDCG10));
        train.add(new double[] {k, m.train().mean(MRR10)});
        test.add(new double[] {k, m.test().mean(MRR10)});
      }
      line("");
      Charts.lines(dir.resolve("learned-k.png"), "Learned DE: MRR@10 against embedding dimension", "k", "MRR@10",
          List.of(new Charts.Series("train", train), new Charts.Series("test", test)), true, Double.NaN, "");
      line("![learned k](learned-k.png)");
      line("");
    }
  }

  private int hidden() {
    return io.dualrank.model.EncoderSpec.parse(o.config().encoder()).encoder().hiddenSize();
  }

  private static double relativeError(EmbeddingCapacityFit.Result r) {
    return relativeError(r.calibratedRmse(), r.teacherSpread());
  }

  private static double relativeError(EmbeddingCapacityFit.LowRankBound b) {
    return relativeError(b.rmse(), b.teacherSpread());
  }

  private static double relativeError(double rmse, double spread) {
    return spread > 0 ? rmse / spread : Double.NaN;
  }

  private static Charts.Series series(String name, List<EmbeddingCapacityFit.Result> results,
      java.util.function.ToDoubleFunction<EmbeddingCapacityFit.Result> value) {
    return new Charts.Series(name, results.stream().map(r -> new double[] {r.dimension(), value.applyAsDouble(r)})
        .toList());
  }

  private void claim2() throws IOException {
    line("## Claim 2 — DE models over-fit: their train–test gap is larger than the CA's");
    line("");
    List<Charts.Series> curves = new ArrayList<>();
    for (String name : List.of("ca", "de-onehot")) {
      model(name).ifPresent(m -> {
        for (String split : List.of("train", "test")) {
          curves.add(new Charts.Series(name + " " + split, m.curve().stream().filter(r -> r.split().equals(split))
              .map(r -> new double[] {r.step(), r.mrr10()}).toList()));
        }
      });
    }
    Charts.lines(dir.resolve("curves.png"), "MRR@10 during training (sampled train and test queries)", "step",
        "MRR@10", curves, false, Double.NaN, "");
    line("MRR@10 on %d sampled train and test queries (top-%d candidates) during training:",
        o.config().evaluation().queries(), o.config().evaluation().depth());
    line("");
    line("![curves](curves.png)");
    line("");
    gapsOnQuestionsTrainedOn();
    line("Score margins (best relevant candidate minus best non-relevant candidate, per query; positive = a"
        + " relevant document ranked first):");
    line("");
    line("| ranker | train: queries | train: margin > 0 | train: median margin | test: queries | test: margin > 0 |"
        + " test: median margin |");
    line("|---|---|---|---|---|---|---|");
    for (ModelResult m : o.models()) {
      var train = ScoreMargins.Summary.of(margins(m, true));
      var test = ScoreMargins.Summary.of(margins(m, false));
      line("| `%s` | %d | %.3f | %.3f | %d | %.3f | %.3f |", m.name(), train.queries(), train.fractionPositive(),
          train.median(), test.queries(), test.fractionPositive(), test.median());
      if (!m.name().equals("bm25") && !m.name().startsWith("de-onehot-k")) {
        Charts.histograms(dir.resolve("margins-" + m.name() + ".png"), "Score margins of " + m.name(), "margin",
            List.of(new Charts.Sample("train", values(margins(m, true))),
                new Charts.Sample("test", values(margins(m, false)))), 30);
      }
    }
    line("");
    for (ModelResult m : o.models()) {
      if (!m.name().equals("bm25") && !m.name().startsWith("de-onehot-k")) {
        line("![margins %s](margins-%s.png)", m.name(), m.name());
      }
    }
    line("");
  }

  /**
   * Claim 2 on the train questions trained on. The train sample's mean mixes questions a model trained on with
   * questions it never drew (a student of s steps × b queries draws s·b of its train sample), which dilutes
   * over-fitting. Per model trained in the study: nDCG@10 on the sampled train questions it drew and on the others,
   * its gap (drawn − test), and against the CA the difference of the gaps on the questions both drew:
   * (DE − CA there) − (DE − CA on test), > 0 when the DE over-fits more, with Welch's two-sample t-test of the
   * per-question differences on the two sides.
   */
  private void gapsOnQuestionsTrainedOn() {
    List<ModelResult> trained = o.models().stream().filter(m -> !trainedOn(m).isEmpty()).toList();
    if (trained.isEmpty()) {
      return;
    }
    Optional<ModelResult> ca = model("ca").filter(m -> !trainedOn(m).isEmpty());
    line("### The gap on the train questions each model trained on");
    line("");
    line("The train figures above average over all %d sampled train questions, also those a model never drew in"
        + " training. Here each model's nDCG@10 on the sampled questions its training drew (`trained-on` in"
        + " figures.json) and on the rest, and its gap: trained on − test. Against the CA (claim 2 says > 0): the"
        + " DE's gap minus the CA's on the questions both drew, (DE − CA on them) − (DE − CA on test), with the"
        + " two-sided p-value of Welch's t-test of the per-question differences.", trainQueries());
    line("");
    line("| ranker | trained on | nDCG@10 trained on | nDCG@10 not trained on | test nDCG@10 | gap (trained on − test)"
        + " | drawn by the CA too | gap − CA's gap | p (Welch) |");
    line("|---|---|---|---|---|---|---|---|---|");
    for (ModelResult m : trained) {
      Map<String, Double> train = m.train().perQuery(NDCG10);
      Map<String, Double> test = m.test().perQuery(NDCG10);
      Set<String> on = trainedOn(m);
      Set<String> off = new TreeSet<>(train.keySet());
      off.removeAll(on);
      double onMean = mean(train, on);
      String vsCa = "— | — | —";
      if (ca.isPresent() && m != ca.get()) {
        Set<String> both = new TreeSet<>(on);
        both.retainAll(trainedOn(ca.get()));
        double[] dTrain = differences(train, ca.get().train().perQuery(NDCG10), both);
        double[] dTest = differences(test, ca.get().test().perQuery(NDCG10), test.keySet());
        double p = dTrain.length < 2 ? Double.NaN : new TTest().tTest(dTrain, dTest); // commons-math: Welch
        vsCa = String.format(Locale.ROOT, "%d | %+.4f | %s", both.size(), average(dTrain) - average(dTest),
            Double.isNaN(p) ? "n/a" : pValue(p));
      }
      line("| `%s` | %d of %d | %.4f | %s | %.4f | %+.4f | %s |", m.name(), on.size(), train.size(), onMean,
          off.isEmpty() ? "—" : String.format(Locale.ROOT, "%.4f", mean(train, off)), m.test().mean(NDCG10),
          onMean - m.test().mean(NDCG10), vsCa);
    }
    line("");
  }

  /** The sampled train queries that {@code m}'s training drew. */
  private static Set<String> trainedOn(ModelResult m) {
    Set<String> on = new TreeSet<>(m.train().queryIds());
    on.retainAll(m.trainedOn());
    return on;
  }

  /** Mean of {@code values} over {@code keys}. */
  private static double mean(Map<String, Double> values, Set<String> keys) {
    return keys.stream().mapToDouble(values::get).average().orElse(Double.NaN);
  }

  /** a − b per key of {@code keys}. */
  private static double[] differences(Map<String, Double> a, Map<String, Double> b, Set<String> keys) {
    return keys.stream().mapToDouble(k -> a.get(k) - b.get(k)).toArray();
  }

  private static double average(double[] x) {
    return Arrays.stream(x).average().orElse(Double.NaN);
  }

  private Map<String, Double> margins(ModelResult m, boolean train) {
    return ScoreMargins.of(train ? m.trainRun() : m.testRun(), train ? o.task().trainQrels() : o.task().testQrels(),
        o.dataset().relevanceLevel());
  }

  private static double[] values(Map<String, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private void claim3() {
    line("## Claim 3 — distillation closes much of the DE's test gap");
    line("");
    Optional<ModelResult> base = model("de-onehot");
    Optional<ModelResult> ca = model("ca");
    if (base.isEmpty()) {
      line("(no `de-onehot` student in this config)");
      return;
    }
    line("Test figures; Δ against `de-onehot`, with two-sided p-values of a paired t-test and of a randomisation"
        + " test (%d sign flips, seed %d) over the test queries. *Gap closed* = (student − DE one-hot) / (CA −"
        + " DE one-hot) on test nDCG@10, n/a where the CA is not above the DE one-hot (no gap to close).", TRIALS,
        o.config().seed());
    line("");
    line("| student | test nDCG@10 | Δ | p (t) | p (rand.) | test MRR@10 | Δ | p (t) | p (rand.) | gap closed |");
    line("|---|---|---|---|---|---|---|---|---|---|");
    for (ModelResult m : o.models()) {
      if (!m.name().startsWith("de-") || m.name().startsWith("de-onehot-k")) {
        continue;
      }
      PairedComparison n = PairedTests.compare(base.get().test(), m.test(), NDCG10, TRIALS, o.config().seed());
      PairedComparison r = PairedTests.compare(base.get().test(), m.test(), MRR10, TRIALS, o.config().seed());
      double gap = ca.map(c -> c.test().mean(NDCG10) - base.get().test().mean(NDCG10)).orElse(Double.NaN);
      double closed = (m.test().mean(NDCG10) - base.get().test().mean(NDCG10)) / gap;
      line("| `%s` | %.4f | %+.4f | %s | %s | %.4f | %+.4f | %s | %s | %s |", m.name(), n.meanB(),
          n.difference(), pValue(n.tTestP()), pValue(n.randomizationP()), r.meanB(), r.difference(),
          pValue(r.tTestP()), pValue(r.randomizationP()),
          m == base.get() ? "—" : gap > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * closed) : "n/a");
    }
    line("");
    line("The margin histograms of the distilled students are in the claim 2 section above.");
    line("");
  }

  /**
   * Per transfer set, every model's figures there next to its in-domain test nDCG@10, with Δ and paired tests
   * against DE one-hot on the set, and the best distilled student, chosen on the in-domain test nDCG@10.
   */
  private void transfer() {
    if (o.transfers().isEmpty()) {
      return;
    }
    var c = o.config();
    line("## Zero-shot transfer");
    line("");
    line("Every model of this study, trained on `%s` only, re-ranks each set below without training on it, all"
        + " from the same candidates. nDCG@10 (the primary measure of BEIR and of TREC DL) uses the set's graded"
        + " labels; MRR@10 counts as relevant the grades from the set's relevance level on (trec_eval's `-l`). Δ"
        + " against `de-onehot` on the same set, with two-sided p-values of a paired t-test and of a randomisation"
        + " test (%d sign flips, seed %d) over the set's queries. figures.json holds every figure, MAP and MRR"
        + " too, as `%s/SET/MODEL/MEASURE`.", c.dataset(), TRIALS, c.seed(), ExperimentConfig.TRANSFER);
    line("");
    Optional<ModelResult> best = o.models().stream().filter(m -> c.losses().stream()
            .anyMatch(l -> m.name().equals("de-" + l) && io.dualrank.loss.RankingLosses.create(l, 0).needsTeacher()))
        .max(java.util.Comparator.comparingDouble(m -> m.test().mean(NDCG10)));
    best.ifPresent(b -> line("Best distilled student in-domain: `%s` (test nDCG@10 %.4f on `%s`), chosen on the"
        + " in-domain test figures, never on a transfer set.", b.name(), b.test().mean(NDCG10), c.dataset()));
    line("");
    for (ReproductionPipeline.TransferResult t : o.transfers()) {
      var base = t.models().stream().filter(m -> m.name().equals("de-onehot")).findFirst();
      line("### %s", t.set().name());
      line("");
      line("Candidates: %s; %d judged queries%s; relevance level %d.", t.candidates(),
          t.models().get(0).result().queryIds().size(), t.set().maxQueries() > 0
              ? String.format(Locale.ROOT, " (a seeded sample of at most %d)", t.set().maxQueries()) : " (all)",
          t.dataset().relevanceLevel());
      line("");
      line("| ranker | in-domain test nDCG@10 | nDCG@10 | Δ | p (t) | p (rand.) | MRR@10 | Δ | p (t) | p (rand.) |");
      line("|---|---|---|---|---|---|---|---|---|---|");
      for (ReproductionPipeline.TransferModel m : t.models()) {
        String name = "`" + m.name() + "`" + (best.isPresent() && best.get().name().equals(m.name())
            ? " (best distilled student in-domain)" : "");
        line("| %s | %s | %s | %s |", name, model(m.name()).map(r -> String.format(Locale.ROOT, "%.4f",
            r.test().mean(NDCG10))).orElse("—"), againstBase(base, m, NDCG10), againstBase(base, m, MRR10));
      }
      line("");
    }
  }

  /** A transfer figure's cells: the mean, then Δ, p (t) and p (rand.) against {@code base} (dashes without one). */
  private String againstBase(Optional<ReproductionPipeline.TransferModel> base, ReproductionPipeline.TransferModel m,
      Measure measure) {
    String mean = String.format(Locale.ROOT, "%.4f", m.result().mean(measure));
    if (base.isEmpty() || base.get() == m) {
      return mean + " | — | — | —";
    }
    PairedComparison c = PairedTests.compare(base.get().result(), m.result(), measure, TRIALS, o.config().seed());
    return String.format(Locale.ROOT, "%s | %+.4f | %s | %s", mean, c.difference(), pValue(c.tTestP()),
        pValue(c.randomizationP()));
  }

  private void expected(List<Check> checks) {
    line("## Expected figures");
    line("");
    if (checks.isEmpty()) {
      line("(none in this config)");
      return;
    }
    line("| figure | expected | tolerance | measured | |");
    line("|---|---|---|---|---|");
    for (Check c : checks) {
      line("| `%s` | %.4f | ±%.4f | %s | %s |", c.figure(), c.expected(), c.tolerance(),
          c.measured() == null ? "missing" : String.format(Locale.ROOT, "%.4f", c.measured()), c.ok() ? "ok" : "**FAIL**");
    }
    line("");
  }

  private void stageTimes() {
    line("## Stage times");
    line("");
    line("Seconds each stage took when it was computed (a stage reused from the cache keeps its own).");
    line("");
    line("| stage | seconds | computed by this run |");
    line("|---|---|---|");
    o.stages().seconds().forEach((stage, seconds) -> line("| `%s` | %s | %s |", stage,
        seconds.isNaN() ? "not recorded" : String.format(Locale.ROOT, "%.1f", seconds),
        o.stages().computed().contains(stage) ? "yes" : "no"));
    line("");
  }

  private void dropped() {
    if (o.droppedTrainQueries().isEmpty()) {
      return;
    }
    line("## Dropped train queries");
    line("");
    line("Judged train queries that no model trains on (%d):", o.droppedTrainQueries().size());
    line("");
    line("| query | reason |");
    line("|---|---|");
    o.droppedTrainQueries().forEach((q, reason) -> line("| `%s` | %s |", q, reason));
    line("");
  }

  private Optional<ModelResult> model(String name) {
    return o.models().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  private void line(String format, Object... args) {
    md.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
  }

  /** The teacher's own train sample ({@code teacher.maxTrainQueries}), when it has one: empty otherwise. */
  private static String teacherSample(ExperimentConfig c) {
    Integer n = c.teacher().maxTrainQueries(); // never with a ready teacher (ExperimentConfig#problems)
    return n == null ? "" : n == 0 ? ", on all judged train queries (the students: a sample)"
        : String.format(Locale.ROOT, ", on its own sample of %d train queries, which holds the students'", n);
  }
}

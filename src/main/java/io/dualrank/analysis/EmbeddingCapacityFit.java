package io.dualrank.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.dualrank.loss.RankingLoss;
import io.dualrank.train.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.dualrank.util.Tensors;

/**
 * The capacity experiment of Menon et al. 2022 ("In defense of dual-encoders for neural ranking", claim 1):
 * with a large enough embedding dimension k, can a dual encoder represent the teacher's scores at all?
 * Encoders are taken out of the question: each query q and document d gets a free vector u_q, v_d ∈ ℝᵏ, and
 * the dual-encoder score is
 *
 * <pre>  ŝ(q, d) = ⟨f(u_q), f(v_d)⟩ / τ,   f = identity, or f(x) = x/‖x‖ with {@link Config#normalise()}</pre>
 *
 * with τ fixed or learned (as log τ). U and V are fitted by full-batch Adam on DJL autograd under a
 * {@link RankingLoss} applied per query over its candidate documents, the teacher's top-1 candidate in
 * column 0 as the positive ({@link CandidateScoreMatrix#candidateList}). Initial entries are N(0, k^(-1/2))
 * from a {@link Random} with the configured seed, so that initial scores have unit variance and a run is
 * reproducible. Sweep k with {@link #sweep} over {@link #powersOfTwo}; {@link #eckartYoung} gives, per k, the
 * error no fit of that dimension can go below.
 */
public final class EmbeddingCapacityFit {
  private EmbeddingCapacityFit() {}

  /**
   * One fit's settings.
   *
   * @param dimension k, the embedding dimension
   * @param loss the loss applied per query over its candidates
   * @param normalise whether vectors are L2-normalised before the inner product
   * @param temperature τ, fixed, or the initial value when {@code learnTemperature}
   * @param learnTemperature whether τ is fitted along with the vectors
   * @param steps Adam steps, each over all queries
   * @param learningRate Adam's step size (β₁ = 0.9, β₂ = 0.999, ε = 1e-8)
   * @param seed seed of the initial vectors
   */
  public record Config(int dimension, RankingLoss loss, boolean normalise, double temperature,
      boolean learnTemperature, int steps, double learningRate, long seed) {
    public Config {
      if (dimension < 1 || steps < 0 || !(learningRate > 0) || !(temperature > 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("need dimension >= 1, steps >= 0, learning rate > 0 and finite "
            + "temperature > 0; got " + dimension + ", " + steps + ", " + learningRate + ", " + temperature);
      }
    }

    /** Raw inner products (τ = 1, fixed), k = 16, 500 steps at learning rate 0.05, seed 42. */
    public static Config of(RankingLoss loss) {
      return new Config(16, loss, false, 1.0, false, 500, 0.05, 42);
    }

    public Config withDimension(int k) {
      return new Config(k, loss, normalise, temperature, learnTemperature, steps, learningRate, seed);
    }

    /** L2-normalised vectors with temperature τ, fixed or learned from τ. */
    public Config withNormalisation(double tau, boolean learned) {
      return new Config(dimension, loss, true, tau, learned, steps, learningRate, seed);
    }

    public Config withSteps(int n, double rate) {
      return new Config(dimension, loss, normalise, temperature, learnTemperature, n, rate, seed);
    }

    public Config withSeed(long s) {
      return new Config(dimension, loss, normalise, temperature, learnTemperature, steps, learningRate, s);
    }
  }

  /**
   * What a fit achieved, over candidate entries only.
   *
   * @param dimension k
   * @param finalLoss the loss at the fitted vectors
   * @param temperature τ at the end (the fixed one unless learned)
   * @param rawRmse √mean (ŝ − t)²: meaningful only for losses that pin absolute scores (mse)
   * @param calibratedRmse the same after removing what shift-invariant losses (margin-mse, m3se, softmax-kl)
   *     cannot see: each query's mean is subtracted from both ŝ and t, and ŝ is multiplied by the least-squares
   *     global scale a ≥ 0. This is the score error we compare across losses and k.
   * @param teacherSpread √mean of the per-query-centred teacher scores squared: the calibrated RMSE of a
   *     constant scorer, the yardstick for {@code calibratedRmse}
   * @param mrrAt10 MRR@10 of the ŝ ranking with the teacher's top-1 as the only relevant candidate (ties
   *     counted against it, {@link RankAgreement#reciprocalRank})
   * @param meanKendallTau mean over queries with at least 2 candidates of Kendall's τ-b between ŝ and t
   */
  public record Result(int dimension, double finalLoss, double temperature, double rawRmse, double calibratedRmse,
      double teacherSpread, double mrrAt10, double meanKendallTau) {}

  /**
   * The Eckart–Young lower bound at one k, in the units of {@link Result}: no fit of dimension k, raw or
   * L2-normalised, under any loss, has a {@code calibratedRmse} below {@code rmse}.
   *
   * @param dimension k
   * @param rmse √(Σ_{i>k} σ_i² / (n·m)), σ the singular values of the per-query-centred teacher matrix
   * @param teacherSpread the teacher's spread as in {@link Result#teacherSpread()} (√(Σ_i σ_i² / (n·m)))
   */
  public record LowRankBound(int dimension, double rmse, double teacherSpread) {}

  /**
   * The best calibrated RMSE any rank-k score matrix can have, for each k: the truncated SVD of the
   * per-query-centred teacher T_c = T·P (P = I − 11ᵀ/m subtracts each row's mean), by Eckart–Young–Mirsky
   * min_{rank X ≤ k} ‖T_c − X‖_F² = Σ_{i>k} σ_i(T_c)².
   *
   * <p>Why it bounds every fit from below: a fit's scores Ŝ = f(U)·f(V)ᵀ/τ have rank ≤ k, f the identity or
   * the row normalisation alike; its calibrated error is ‖T_c − a·Ŝ·P‖_F / √(n·m) with a ≥ 0 the best scale,
   * and a·Ŝ·P has rank ≤ k too, so it is one of the X above. The L2 fit's score matrices are a subset of the
   * raw fit's, so its constraint can only add error. A raw fit can reach the bound (U·Vᵀ = the truncated SVD of
   * T_c, whose rows are already centred; a = 1) with a shift-invariant loss; with {@code mse}, which fits the
   * uncentred T, the per-query offsets o cost at most one dimension: (T_c)_k + o·1ᵀ has rank ≤ k + 1 and
   * error bound_k, and centring and the best scale only lower the error, so the exact mse fit at k + 1 is
   * within the bound at k.
   *
   * <p>The calibrated RMSE averages over candidate entries, centred over each query's candidates; here the
   * two are the same n·m entries because the matrix must be full ({@link CandidateScoreMatrix#full}). On a
   * partial mask the best rank-k fit of the candidate entries alone (weighted low-rank approximation) has no
   * closed form and the SVD of a filled-in matrix bounds nothing, so that is refused.
   *
   * @throws IllegalArgumentException when a query does not have every document as a candidate, or k < 1
   */
  public static List<LowRankBound> eckartYoung(CandidateScoreMatrix teacher, int... dimensions) {
    int n = teacher.queries();
    int m = teacher.documents();
    double[][] centred = new double[n][];
    double squares = 0;
    for (int q = 0; q < n; q++) {
      if (teacher.candidateCount(q) != m) {
        throw new IllegalArgumentException("the Eckart–Young bound needs a full score matrix: query " + q
            + " has " + teacher.candidateCount(q) + " candidates of " + m + " documents");
      }
      centred[q] = new double[m];
      for (int d = 0; d < m; d++) {
        centred[q][d] = teacher.score(q, d);
      }
      centre(centred[q]);
      for (double x : centred[q]) {
        squares += x * x;
      }
    }
    double[] sigma = NumericalRank.singularValues(centred);
    // tail[i] = Σ_{j ≥ i} σ_j², summed from the smallest so that small tails keep their digits
    double[] tail = new double[sigma.length + 1];
    for (int i = sigma.length - 1; i >= 0; i--) {
      tail[i] = tail[i + 1] + sigma[i] * sigma[i];
    }
    double entries = (double) n * m;
    List<LowRankBound> bounds = new ArrayList<>();
    for (int k : dimensions) {
      if (k < 1) {
        throw new IllegalArgumentException("dimension must be >= 1, got " + k);
      }
      bounds.add(new LowRankBound(k, Math.sqrt(tail[Math.min(k, sigma.length)] / entries),
          Math.sqrt(squares / entries)));
    }
    return bounds;
  }

  /** {1, 2, 4, ..., max} (max itself included only when it is a power of two). */
  public static int[] powersOfTwo(int max) {
    List<Integer> ks = new ArrayList<>();
    for (int k = 1; k <= max && k > 0; k *= 2) {
      ks.add(k);
    }
    return ks.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One fit per dimension, otherwise with the same config (seed included). */
  public static List<Result> sweep(CandidateScoreMatrix teacher, Config config, int... dimensions) {
    List<Result> results = new ArrayList<>();
    for (int k : dimensions) {
      results.add(fit(teacher, config.withDimension(k)));
    }
    return results;
  }

  public static Result fit(CandidateScoreMatrix teacher, Config config) {
    int n = teacher.queries();
    int k = config.dimension();
    int[][] lists = new int[n][];
    int width = 0;
    for (int q = 0; q < n; q++) {
      lists[q] = teacher.candidateList(q);
      width = Math.max(width, lists[q].length);
    }
    long[] documentIndex = new long[n * width];
    boolean[][] valid = new boolean[n][width];
    float[][] teacherScores = new float[n][width];
    for (int q = 0; q < n; q++) {
      for (int c = 0; c < lists[q].length; c++) {
        documentIndex[q * width + c] = lists[q][c];
        valid[q][c] = true;
        teacherScores[q][c] = teacher.score(q, lists[q][c]);
      }
    }

    try (NDManager manager = NDManager.newBaseManager()) {
      Random random = new Random(config.seed());
      double initialScale = Math.pow(k, -0.25);
      NDArray u = manager.create(gaussian(random, n, k, initialScale));
      NDArray v = manager.create(gaussian(random, teacher.documents(), k, initialScale));
      NDArray logTemperature = manager.create((float) Math.log(config.temperature()));
      List<Parameter> parameters = new ArrayList<>(List.of(parameter("u", u), parameter("v", v)));
      if (config.learnTemperature()) {
        parameters.add(parameter("log_temperature", logTemperature));
      }
      AdamW adam = new AdamW(parameters, 0.9f, 0.999f, 1e-8f, 0f, manager);

      NDArray index = manager.create(documentIndex, new Shape(n, width));
      NDArray mask = manager.create(valid);
      NDArray target = manager.create(teacherScores);
      for (int step = 0; step < config.steps(); step++) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray scores = scores(u, v, logTemperature, index, config.normalise());
            collector.backward(config.loss().compute(scores, target, mask));
          }
          adam.step((float) config.learningRate());
        }
      }
      NDArray fitted = scores(u, v, logTemperature, index, config.normalise());
      double finalLoss = config.loss().compute(fitted, target, mask).getFloat();
      float[] student = fitted.toFloatArray();
      return evaluate(k, finalLoss, Math.exp(logTemperature.getFloat()), lists, student, teacherScores, width);
    }
  }

  /**
   * ŝ [n, width]: query q's vector against the vectors of its candidate list, taken from the full product U Vᵀ
   * [n, m] (one matrix product; gathering the [n, width, k] candidate vectors first costs far more time and memory).
   */
  private static NDArray scores(NDArray u, NDArray v, NDArray logTemperature, NDArray index, boolean normalise) {
    NDArray queries = normalise ? unit(u) : u;
    NDArray documents = normalise ? unit(v) : v;
    return queries.matMul(documents.transpose()).gather(index, 1).div(logTemperature.exp());
  }

  private static Parameter parameter(String name, NDArray array) {
    array.setRequiresGradient(true);
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build();
  }

  private static NDArray unit(NDArray rows) {
    NDArray norm = rows.norm(new int[] {1}, true);
    return rows.div(norm.maximum(Tensors.scalar(norm, 1e-12)));
  }

  private static Result evaluate(int k, double finalLoss, double temperature, int[][] lists, float[] student,
      float[][] teacherScores, int width) {
    int n = lists.length;
    double[][] s = new double[n][];
    double[][] t = new double[n][];
    double rawSquares = 0;
    long entries = 0;
    double reciprocalRanks = 0;
    double taus = 0;
    int tauQueries = 0;
    for (int q = 0; q < n; q++) {
      int len = lists[q].length;
      s[q] = new double[len];
      t[q] = new double[len];
      for (int c = 0; c < len; c++) {
        s[q][c] = student[q * width + c];
        t[q][c] = teacherScores[q][c];
        rawSquares += (s[q][c] - t[q][c]) * (s[q][c] - t[q][c]);
      }
      entries += len;
      reciprocalRanks += RankAgreement.reciprocalRank(s[q], 0, 10);
      if (len >= 2) {
        taus += RankAgreement.kendallTauB(s[q], t[q]);
        tauQueries++;
      }
      centre(s[q]);
      centre(t[q]);
    }
    double cross = 0;
    double studentSquares = 0;
    double teacherSquares = 0;
    for (int q = 0; q < n; q++) {
      for (int c = 0; c < s[q].length; c++) {
        cross += s[q][c] * t[q][c];
        studentSquares += s[q][c] * s[q][c];
        teacherSquares += t[q][c] * t[q][c];
      }
    }
    double scale = studentSquares > 0 ? Math.max(0, cross / studentSquares) : 0;
    double calibratedSquares = 0;
    for (int q = 0; q < n; q++) {
      for (int c = 0; c < s[q].length; c++) {
        double e = t[q][c] - scale * s[q][c];
        calibratedSquares += e * e;
      }
    }
    return new Result(k, finalLoss, temperature, Math.sqrt(rawSquares / entries),
        Math.sqrt(calibratedSquares / entries), Math.sqrt(teacherSquares / entries), reciprocalRanks / n,
        tauQueries == 0 ? Double.NaN : taus / tauQueries);
  }

  private static void centre(double[] x) {
    double mean = 0;
    for (double value : x) {
      mean += value / x.length;
    }
    for (int i = 0; i < x.length; i++) {
      x[i] -= mean;
    }
  }

  private static float[][] gaussian(Random random, int rows, int cols, double scale) {
    float[][] a = new float[rows][cols];
    for (float[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (scale * random.nextGaussian());
      }
    }
    return a;
  }
}

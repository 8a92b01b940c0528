package io.dualrank.retrieve;

import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.util.StandardScores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ensemble of two rankers that scored the same candidates (a CA and a DE, say): per query,
 *
 * <pre>  s(q, d) = (1 − w) · z_A(q, d) + w · z_B(q, d),   z_X(q, d) = (s_X(q, d) − mean_q s_X) / sd_q s_X</pre>
 *
 * each run's scores standardised over the query's candidates (population sd; a query whose scores are all
 * equal gets z = 0), so that w weighs the two rankers whatever their score scales (CA logits, cosine / τ).
 * The weight is chosen on held-out queries with {@link #sweep}, never on test; {@link
 * io.dualrank.model.EnsembleModel} scores texts with the same formula.
 */
public final class ScoreInterpolation {
  private ScoreInterpolation() {}

  /** One weight and the mean of the measure the sweep chose by. */
  public record Point(double weight, double value) {}

  /**
   * The interpolated run, tagged {@code tag}.
   *
   * @throws IllegalArgumentException naming the query when the runs hold other queries or, for a query,
   *     other documents
   */
  public static Run interpolate(Run a, Run b, double weight, String tag) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("the weight must be in [0, 1], got " + weight);
    }
    if (!a.queryIds().equals(b.queryIds())) {
      List<String> onlyOne = new ArrayList<>(a.queryIds());
      onlyOne.removeAll(b.queryIds());
      List<String> onlyOther = new ArrayList<>(b.queryIds());
      onlyOther.removeAll(a.queryIds());
      throw new IllegalArgumentException("the runs must hold the same queries; only in the first: "
          + head(onlyOne) + ", only in the second: " + head(onlyOther));
    }
    Run.Builder out = new Run.Builder(tag);
    for (String q : a.queryIds()) {
      Map<String, Double> za = standardised(a.ranking(q));
      Map<String, Double> zb = standardised(b.ranking(q));
      if (!za.keySet().equals(zb.keySet())) {
        throw new IllegalArgumentException("query " + q + ": the runs must rank the same documents (" + za.size()
            + " and " + zb.size() + " documents, not the same ones)");
      }
      za.forEach((d, z) -> out.add(q, d, (1 - weight) * z + weight * zb.get(d)));
    }
    return out.build();
  }

  /**
   * The interpolation's mean {@code measure} on {@code evaluator}'s qrels at weights 0, 1/steps, ..., 1, in that
   * order; {@link #best} picks one.
   */
  public static List<Point> sweep(Run a, Run b, int steps, Evaluator evaluator, Measure measure) {
    if (steps < 1) {
      throw new IllegalArgumentException("need at least 1 step, got " + steps);
    }
    List<Point> points = new ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      double w = (double) i / steps;
      points.add(new Point(w, evaluator.evaluate(interpolate(a, b, w, "sweep"), measure).mean(measure)));
    }
    return points;
  }

  /** The point with the highest value; of equal ones, the first (the smallest weight of B). */
  public static Point best(List<Point> points) {
    Point best = points.get(0);
    for (Point p : points) {
      if (p.value() > best.value()) {
        best = p;
      }
    }
    return best;
  }

  private static Map<String, Double> standardised(List<ScoredDoc> ranking) {
    double[] z = StandardScores.of(ranking.stream().mapToDouble(ScoredDoc::score).toArray());
    Map<String, Double> byDoc = new HashMap<>();
    for (int i = 0; i < z.length; i++) {
      byDoc.put(ranking.get(i).docId(), z[i]);
    }
    return byDoc;
  }

  private static String head(List<String> ids) {
    return ids.isEmpty() ? "none" : ids.size() <= 3 ? ids.toString() : ids.subList(0, 3) + " and " + (ids.size() - 3)
        + " more";
  }
}

package io.dualrank.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * trec_eval's output ({@code meas_print_single.c}, {@code meas_print_final.c}): lines
 * {@code measure \t qid|all \t value}, the measure padded to 22 characters, values with 4 decimals and
 * counts as integers, measures in trec_eval's order whatever the order asked.
 */
public final class TrecEvalFormat {
  private TrecEvalFormat() {}

  /**
   * A value to 4 decimals as C's {@code printf("%.4f")} writes it: the exact binary value rounded, half to
   * even ({@code String.format} would round the shortest decimal instead, and differ on some values).
   * Infinities and NaN are written as Java writes them.
   */
  public static String value(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String line(String measure, String qid, String value) {
    return String.format("%-22s\t%s\t%s", measure, qid, value);
  }

  /** How trec_eval prints one figure of {@code m}: counts with {@code %ld}, the rest with {@code %6.4f}. */
  private static String figure(Measure m, double v) {
    return m.integral() ? Long.toString((long) v) : value(v);
  }

  /**
   * Per-query lines (when asked, query by query, for the measures trec_eval prints per query) then the
   * {@code all} lines ({@link EvalResult#summary}; {@code runid} prints the run's tag).
   */
  public static List<String> lines(EvalResult result, boolean perQuery) {
    List<Measure> measures = new ArrayList<>(result.measures());
    measures.sort(MeasureNames.TREC_EVAL_PRINT_ORDER);
    List<String> lines = new ArrayList<>();
    if (perQuery) {
      for (String q : result.queryIds()) {
        for (Measure m : measures) {
          if (m.printedPerQuery()) {
            lines.add(line(m.name(), q, figure(m, result.perQuery(m).get(q))));
          }
        }
      }
    }
    for (Measure m : measures) {
      String all = m instanceof RunId ? result.runTag() : figure(m, result.summary(m));
      lines.add(line(m.name(), "all", all));
    }
    return lines;
  }
}

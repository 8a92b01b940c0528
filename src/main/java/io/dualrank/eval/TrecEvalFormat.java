package io.dualrank.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** trec_eval's output: lines {@code measure \t qid|all \t value}, the measure padded to 22 characters. */
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

  public static String line(String measure, String qid, double v) {
    return String.format("%-22s\t%s\t%s", measure, qid, value(v));
  }

  /** Per-query lines (when asked, query by query) then the {@code all} lines, measures in the given order. */
  public static List<String> lines(EvalResult result, boolean perQuery) {
    List<String> lines = new ArrayList<>();
    if (perQuery) {
      for (String q : result.queryIds()) {
        for (Measure m : result.measures()) {
          lines.add(line(m.name(), q, result.perQuery(m).get(q)));
        }
      }
    }
    for (Measure m : result.measures()) {
      lines.add(line(m.name(), "all", result.mean(m)));
    }
    return lines;
  }
}

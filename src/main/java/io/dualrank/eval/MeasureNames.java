package io.dualrank.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of measure names, see {@link Measure}. */
final class MeasureNames {
  private static final Pattern CANONICAL =
      Pattern.compile("(map|recip_rank|ndcg|p|recall|ndcg_cut|map_cut|recip_rank_cut)(?:[_.](\\d+))?");
  private static final Pattern ALIAS = Pattern.compile("(ndcg|mrr|rr|map|p|recall)(?:@(\\d+))?");

  private MeasureNames() {}

  static Measure parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    Matcher m = CANONICAL.matcher(n);
    if (m.matches()) {
      return of(m.group(1), m.group(2), name);
    }
    m = ALIAS.matcher(n);
    if (m.matches()) {
      String base = m.group(1).equals("mrr") || m.group(1).equals("rr") ? "recip_rank" : m.group(1);
      boolean atK = m.group(2) != null && !base.equals("p") && !base.equals("recall");
      return of(atK ? base + "_cut" : base, m.group(2), name);
    }
    throw unknown(name);
  }

  static List<Measure> parseAll(List<String> names) {
    List<Measure> measures = new ArrayList<>();
    for (String name : names) {
      int dot = name.indexOf('.');
      if (dot < 0) {
        measures.add(parse(name));
      } else {
        for (String k : name.substring(dot + 1).split(",", -1)) {
          measures.add(parse(name.substring(0, dot) + "_" + k));
        }
      }
    }
    return measures;
  }

  private static Measure of(String base, String k, String original) {
    boolean needsCutoff = base.equals("p") || base.equals("recall") || base.endsWith("_cut");
    if (needsCutoff != (k != null)) {
      throw unknown(original);
    }
    int cutoff;
    try {
      cutoff = k == null ? Measure.NO_CUTOFF : Integer.parseInt(k);
    } catch (NumberFormatException e) {
      throw unknown(original);
    }
    return switch (base) {
      case "map", "map_cut" -> new AveragePrecision(cutoff);
      case "recip_rank", "recip_rank_cut" -> new ReciprocalRank(cutoff);
      case "ndcg", "ndcg_cut" -> new Ndcg(cutoff);
      case "p" -> new Precision(cutoff);
      default -> new Recall(cutoff);
    };
  }

  static void checkCutoff(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("a measure's cut-off must be positive, got " + k);
    }
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown measure '" + name + "'; expected e.g. map, recip_rank, ndcg, "
        + "ndcg_cut_10, map_cut_10, recip_rank_cut_10, P_10, recall_100, ndcg@10, mrr@10, p@10, recall@100");
  }
}

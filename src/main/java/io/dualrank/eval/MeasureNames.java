package io.dualrank.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of measure names, and trec_eval's printing order, see {@link Measure}. */
final class MeasureNames {
  private static final Pattern CANONICAL = Pattern.compile(
      "(map|recip_rank|ndcg|p|recall|ndcg_cut|map_cut|recip_rank_cut|iprec_at_recall)(?:[_.](\\d*\\.?\\d+))?");
  private static final Pattern ALIAS = Pattern.compile("(ndcg|mrr|rr|map|p|recall)(?:@(\\d+))?");

  /** The measures without a cut-off or a variant, by lower-case name. */
  private static final Map<String, Measure> PLAIN = Map.of("num_q", Count.NUM_Q, "num_ret", Count.NUM_RET,
      "num_rel", Count.NUM_REL, "num_rel_ret", Count.NUM_REL_RET, "rprec", new RPrecision(), "bpref", new Bpref(),
      "gm_map", new GeometricMeanAveragePrecision(), "runid", new RunId());

  /** trec_eval's default cut-offs of P, recall, ndcg_cut and map_cut ({@code long_cutoff_array}). */
  private static final List<Integer> DEFAULT_CUTOFFS = List.of(5, 10, 15, 20, 30, 100, 200, 500, 1000);
  /** trec_eval's default recall levels of iprec_at_recall. */
  private static final List<Double> DEFAULT_RECALLS = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);

  /**
   * The measure families in trec_eval's {@code te_trec_measures} order (its {@code measures.c}), the order
   * it computes and prints them in whatever the order of {@code -m}; recip_rank_cut, ours, goes last.
   */
  private static final List<String> TREC_EVAL_ORDER = List.of("runid", "num_q", "num_ret", "num_rel",
      "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank", "iprec_at_recall", "P", "recall", "ndcg",
      "ndcg_cut", "map_cut", "recip_rank_cut");
  private static final Pattern WITH_PARAMETER = Pattern.compile("(.+)_(\\d+(?:\\.\\d+)?)");

  /** Measures in trec_eval's printing order: by family, then by cut-off (its cut-offs are sorted). */
  static final Comparator<Measure> TREC_EVAL_PRINT_ORDER =
      Comparator.comparingInt((Measure m) -> TREC_EVAL_ORDER.indexOf(family(m.name())))
          .thenComparingDouble(m -> parameter(m.name()));

  private MeasureNames() {}

  static Measure parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    Measure unparameterised = PLAIN.get(n);
    if (unparameterised != null) {
      return unparameterised;
    }
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
    Set<Measure> measures = new LinkedHashSet<>();
    for (String name : names) {
      int dot = name.indexOf('.');
      String lower = name.strip().toLowerCase(Locale.ROOT);
      if (lower.equals("official")) {
        measures.addAll(parseAll(List.of("runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map",
            "Rprec", "bpref", "recip_rank", "iprec_at_recall", "P")));
      } else if (lower.equals("iprec_at_recall")) {
        DEFAULT_RECALLS.forEach(x -> measures.add(new InterpolatedPrecision(x)));
      } else if (List.of("p", "recall", "ndcg_cut", "map_cut").contains(lower)) {
        DEFAULT_CUTOFFS.forEach(k -> measures.add(parse(lower + "_" + k)));
      } else if (dot < 0) {
        measures.add(parse(name));
      } else {
        for (String k : name.substring(dot + 1).split(",", -1)) {
          measures.add(parse(name.substring(0, dot) + "_" + k));
        }
      }
    }
    return List.copyOf(measures);
  }

  private static Measure of(String base, String k, String original) {
    boolean needsCutoff = base.equals("p") || base.equals("recall") || base.endsWith("_cut")
        || base.equals("iprec_at_recall");
    if (needsCutoff != (k != null)) {
      throw unknown(original);
    }
    if (base.equals("iprec_at_recall")) {
      return new InterpolatedPrecision(Double.parseDouble(k));
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

  /** A measure name without its cut-off or recall level: {@code P_10} is of family {@code P}. */
  private static String family(String name) {
    Matcher m = WITH_PARAMETER.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  private static double parameter(String name) {
    Matcher m = WITH_PARAMETER.matcher(name);
    return m.matches() ? Double.parseDouble(m.group(2)) : 0;
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown measure '" + name + "'; expected " + Measure.NAMES);
  }
}

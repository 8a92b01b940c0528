package io.dualrank.eval;

import java.util.List;

/**
 * trec_eval's counts ({@code m_num_q.c}, {@code m_num_ret.c}, {@code m_num_rel.c}, {@code m_num_rel_ret.c}):
 * per query 1, the documents retrieved, the relevant documents judged, the relevant documents retrieved;
 * the {@code all} line holds their sums (for {@code num_q}, the number of evaluated queries, which with
 * {@code -c} includes the judged queries the run lacks). Printed as integers; {@code num_q} only in the
 * {@code all} line.
 */
public record Count(String name) implements Measure {
  public static final Count NUM_Q = new Count("num_q");
  public static final Count NUM_RET = new Count("num_ret");
  public static final Count NUM_REL = new Count("num_rel");
  public static final Count NUM_REL_RET = new Count("num_rel_ret");

  public Count {
    if (!List.of("num_q", "num_ret", "num_rel", "num_rel_ret").contains(name)) {
      throw new IllegalArgumentException("unknown count '" + name + "'");
    }
  }

  @Override
  public double compute(JudgedRanking r) {
    return switch (name) {
      case "num_q" -> 1;
      case "num_ret" -> r.size();
      case "num_rel" -> r.numRelevant();
      default -> r.relevantInTop(r.size());
    };
  }

  @Override
  public Summary summary() {
    return Summary.SUM;
  }

  @Override
  public boolean printedPerQuery() {
    return !equals(NUM_Q);
  }

  @Override
  public boolean integral() {
    return true;
  }
}

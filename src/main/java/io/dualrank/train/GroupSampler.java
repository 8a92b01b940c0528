package io.dualrank.train;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Samples training groups from judgments and a candidate run (e.g. BM25 top-100): a group is a query, one
 * of its relevant documents (grade &ge; {@code minGrade}) and {@code negatives} hard negatives drawn without
 * replacement from the query's top-{@code depth} candidates whose grade is below {@code minGrade}
 * (unjudged candidates count as non-relevant, the TREC convention), then {@code crossQueryNegatives}
 * relevant documents of other training queries (not relevant to this one). Hard negatives teach what
 * separates a query's answers from near misses; cross-query negatives teach that a good answer to another
 * question is no answer to this one, i.e. they penalise a query-independent "looks like an answer" score,
 * the shortcut a cross-encoder trained on few queries takes. Queries without a relevant document or without
 * a negative candidate are left out.
 *
 * <p>Sampling is a pure function of (seed, step): epochs visit the queries in an order shuffled by
 * {@code seed + epoch}, and each group's draws use a generator seeded by (seed, step, slot). So a resumed run
 * sees exactly the batches an uninterrupted run would.
 */
public final class GroupSampler {
  private final List<String> queries = new ArrayList<>();
  private final List<List<String>> positives = new ArrayList<>();
  private final List<List<String>> negativePools = new ArrayList<>();
  private final List<String> allPositives;
  private final int negatives;
  private final int crossQueryNegatives;
  private final long seed;

  public GroupSampler(Qrels qrels, Run candidates, int minGrade, int negatives, int crossQueryNegatives, int depth,
      long seed) {
    if (negatives < 1 || crossQueryNegatives < 0) {
      throw new IllegalArgumentException("need at least one hard negative per group and no fewer than 0 cross-query"
          + " negatives, got " + negatives + " and " + crossQueryNegatives);
    }
    this.negatives = negatives;
    this.crossQueryNegatives = crossQueryNegatives;
    this.seed = seed;
    for (String qid : candidates.queryIds()) {
      Set<String> relevant = qrels.relevant(qid, minGrade);
      List<String> pool = new ArrayList<>();
      for (ScoredDoc d : candidates.ranking(qid).subList(0, Math.min(depth, candidates.ranking(qid).size()))) {
        if (!relevant.contains(d.docId())) {
          pool.add(d.docId());
        }
      }
      if (!relevant.isEmpty() && !pool.isEmpty()) {
        queries.add(qid);
        positives.add(List.copyOf(relevant));
        negativePools.add(List.copyOf(pool));
      }
    }
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("no training query has both a relevant document (grade >= " + minGrade
          + ") and a non-relevant candidate in the top " + depth);
    }
    allPositives = positives.stream().flatMap(List::stream).distinct().sorted().toList();
  }

  /** Number of usable training queries (one epoch). */
  public int numQueries() {
    return queries.size();
  }

  /** The usable training query ids. */
  public List<String> queryIds() {
    return Collections.unmodifiableList(queries);
  }

  /** The groups of step {@code step} (0-based) for a batch of {@code batchSize} queries. */
  public List<TrainingGroup> batch(int step, int batchSize) {
    List<TrainingGroup> groups = new ArrayList<>(batchSize);
    for (int slot = 0; slot < batchSize; slot++) {
      int q = queryAt((long) step * batchSize + slot);
      Random r = new Random(mix(seed, step, slot));
      List<String> pos = positives.get(q);
      List<String> pool = new ArrayList<>(negativePools.get(q));
      Collections.shuffle(pool, r);
      String positive = pos.get(r.nextInt(pos.size()));
      List<String> drawn = new ArrayList<>(pool.subList(0, Math.min(negatives, pool.size())));
      if (crossQueryNegatives > 0) {
        drawn.addAll(crossQueryDraw(pos, drawn, r));
      }
      groups.add(new TrainingGroup(queries.get(q), positive, List.copyOf(drawn)));
    }
    return groups;
  }

  /**
   * The queries that batches 0 to {@code steps} − 1 of {@code batchSize} queries draw, in the order first drawn:
   * what a training of that length has seen ({@link #batch} draws the same, without the documents' draws).
   */
  public Set<String> queriesDrawn(int steps, int batchSize) {
    Set<String> drawn = new LinkedHashSet<>();
    long positions = (long) steps * batchSize;
    for (long position = 0; position < positions && drawn.size() < queries.size(); position++) {
      drawn.add(queries.get(queryAt(position)));
    }
    return drawn;
  }

  /** The query at a position of the sampling sequence: epoch position / n visits the queries in its own order. */
  private int queryAt(long position) {
    int n = queries.size();
    return epochOrder((int) (position / n)).get((int) (position % n));
  }

  /** Up to {@code crossQueryNegatives} other queries' positives, none relevant here nor already drawn. */
  private List<String> crossQueryDraw(List<String> relevantHere, List<String> drawn, Random r) {
    Set<String> exclude = new HashSet<>(relevantHere);
    exclude.addAll(drawn);
    List<String> others = new ArrayList<>();
    for (String d : allPositives) {
      if (!exclude.contains(d)) {
        others.add(d);
      }
    }
    Collections.shuffle(others, r);
    return others.subList(0, Math.min(crossQueryNegatives, others.size()));
  }

  private List<Integer> cachedOrder;
  private int cachedEpoch = -1;

  private synchronized List<Integer> epochOrder(int epoch) {
    if (epoch != cachedEpoch) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < queries.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed + epoch));
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }

  private static long mix(long seed, int step, int slot) {
    long h = seed * 0x9E3779B97F4A7C15L + step;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + slot;
    return h ^ (h >>> 29);
  }
}

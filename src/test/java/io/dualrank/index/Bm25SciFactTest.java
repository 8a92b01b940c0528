package io.dualrank.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.SharedData;
import io.dualrank.data.Dataset;
import io.dualrank.data.Qrels;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import io.dualrank.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance: BM25 on BEIR SciFact test is within 0.02 nDCG@10 of the published 0.665 (BEIR) – 0.679 (Anserini). */
class Bm25SciFactTest {
  @TempDir Path tmp;

  @Test
  void scifactTestNdcgAt10MatchesPublishedBm25() throws Exception {
    Dataset ds = Dataset.named("scifact", SharedData.root());
    Path index = tmp.resolve("bm25");
    try (Stream<io.dualrank.data.Document> docs = ds.corpus().stream()) {
      assertEquals(5183, Bm25Index.build(docs, index, Progress.silent()));
    }
    Qrels qrels = ds.qrels("test");
    List<Query> queries = new ArrayList<>(ds.queries().load(qrels.queryIds()).values());
    Run run;
    try (Bm25Index bm25 = Bm25Index.open(index, 0.9f, 0.4f)) {
      run = bm25.search(queries, 100, Bm25Index.Fields.FLAT, 2, "bm25", Progress.silent());
    }
    double ndcg = new Evaluator(qrels, 1).evaluate(run, List.of(Measure.parse("ndcg_cut_10"))).mean(Measure.parse("ndcg_cut_10"));
    assertTrue(ndcg >= 0.665 - 0.02 && ndcg <= 0.679 + 0.02, "nDCG@10 = " + ndcg);
  }
}

package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.data.Dataset;
import io.dualrank.data.TrecRunReader;
import io.dualrank.train.RankingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report counts and names the train queries no model learns from, with the reason for each. */
class DroppedTrainQueriesTest {
  @TempDir Path root;

  private void write(String name, String content) throws Exception {
    Files.createDirectories(root.resolve(name).getParent());
    Files.writeString(root.resolve(name), content);
  }

  @Test
  void queriesWithoutARelevantDocumentInTheCorpusOrWithoutANegativeAreNamed() throws Exception {
    write("toy/collection.tsv", "p1\tone\np2\ttwo\np3\tthree\np4\tfour\n");
    write("toy/queries.tsv", "q1\tfirst\nq2\tsecond\nq3\tthird\nq4\tfourth\nt1\ttest\n");
    // q1 learnable; q2's relevant passage is outside the (partial) corpus; q3's top 2 are both relevant;
    // q4 is judged but has no candidates.
    write("toy/train.qrels", "q1 0 p1 1\nq2 0 p9 1\nq3 0 p2 1\nq3 0 p3 1\nq4 0 p4 1\n");
    write("toy/test.qrels", "t1 0 p1 1\n");
    write("toy/train.trec", "q1 Q0 p1 1 3 r\nq1 Q0 p2 2 2 r\nq2 Q0 p1 1 3 r\nq3 Q0 p2 1 3 r\nq3 Q0 p3 2 2 r\n"
        + "q3 Q0 p4 3 1 r\n");
    write("toy/test.trec", "t1 Q0 p1 1 1 r\n");
    write("toy.yaml", "corpus: toy/collection.tsv\nqueries: toy/queries.tsv\npartialCorpus: true\nsplits:\n"
        + "  train: {qrels: [toy/train.qrels], candidates: [toy/train.trec]}\n"
        + "  test: {qrels: [toy/test.qrels], candidates: [toy/test.trec]}\n");
    Dataset d = Dataset.load(root.resolve("toy.yaml"), root);
    RankingTask task = RankingTask.load(d, "train", TrecRunReader.read(root.resolve("toy/train.trec")), "test",
        TrecRunReader.read(root.resolve("toy/test.trec")), 10);

    assertEquals(Map.of("q2", "no relevant document in the corpus", "q3", "no non-relevant candidate in the top 2",
        "q4", "no candidates"), ReproductionPipeline.droppedTrainQueries(task, task.trainQrels().queryIds(), 1, 2));
    assertEquals(Map.of("q2", "no relevant document in the corpus", "q4", "no candidates"),
        ReproductionPipeline.droppedTrainQueries(task, task.trainQrels().queryIds(), 1, 3), "with depth 3, q3 has a negative (p4)");
    assertEquals(Map.of("q2", "no relevant document in the corpus"),
        ReproductionPipeline.droppedTrainQueries(task, java.util.Set.of("q1", "q2"), 1, 2), "only the chosen queries");
  }
}

package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  @TempDir Path root;
  Path yaml;

  /** A tiny msmarco-dl: two train years, one test year, candidate runs for each. */
  @BeforeEach
  void writeDataset() {
    write(root, "toy/collection.tsv", "p1\tone\np2\ttwo\np3\tthree\np4\tfour\n");
    write(root, "toy/queries.tsv", "q1\tfirst\nq2\tsecond\nq3\tthird\n");
    write(root, "toy/qrels.a.txt", "q1 0 p1 2\nq1 0 p2 0\n");
    write(root, "toy/qrels.b.txt", "q2 Q0 p3 1\n");
    write(root, "toy/qrels.c.txt", "q3 0 p4 3\n");
    write(root, "toy/runs/a.trec", "q1 Q0 p1 1 2.0 bm25\nq1 Q0 p2 2 1.0 bm25\n");
    write(root, "toy/runs/b.trec", "q2 Q0 p3 1 2.0 bm25\n");
    write(root, "toy/runs/c.trec", "q3 Q0 p4 1 2.0 bm25\nq3 Q0 p1 2 1.0 bm25\n");
    yaml = write(root, "defs/toy.yaml", """
        corpus: toy/collection.tsv
        queries: toy/queries.tsv
        relevanceLevel: 2
        splits:
          train:
            qrels: [toy/qrels.a.txt, toy/qrels.b.txt]
            candidates: [toy/runs/a.trec, toy/runs/b.trec]
          test:
            qrels: [toy/qrels.c.txt]
        """);
  }

  @Test
  void loadsSplitsMadeOfSeveralFiles() {
    Dataset d = Dataset.load(yaml, root);
    assertEquals("toy", d.name());
    assertEquals(2, d.relevanceLevel());
    assertFalse(d.partialCorpus());
    assertEquals(List.of("train", "test"), List.copyOf(d.splits().keySet()));
    assertEquals(List.of(root.resolve("toy/qrels.a.txt"), root.resolve("toy/qrels.b.txt")), d.split("train").qrels());
    Qrels train = d.qrels("train");
    assertEquals(Set.of("q1", "q2"), train.queryIds());
    assertEquals(3, train.size());
    Run candidates = d.candidates("train").orElseThrow();
    assertEquals(Set.of("q1", "q2"), candidates.queryIds());
    assertTrue(d.candidates("test").isEmpty());
    assertEquals(Map.of("p2", new Document("p2", "", "two")), d.corpus().load(Set.of("p2")));
    assertEquals("third", d.queries().loadAll().get("q3").text());
    assertThrows(IllegalArgumentException.class, () -> d.qrels("dev"));
  }

  @Test
  void takesCandidatesGivenLater() {
    Dataset d = Dataset.load(yaml, root).withCandidates("test", List.of(root.resolve("toy/runs/c.trec")));
    assertEquals(List.of("p4", "p1"),
        d.candidates("test").orElseThrow().ranking("q3").stream().map(ScoredDoc::docId).toList());
    assertEquals(new Dataset.SplitSummary(1, 1, 1, 2), d.validate().splits().get("test"));
  }

  @Test
  void validatesAndCounts() {
    Dataset.Summary s = Dataset.load(yaml, root).validate();
    assertEquals(4, s.documents());
    assertEquals(3, s.queries());
    assertEquals(Map.of("train", new Dataset.SplitSummary(2, 3, 2, 3), "test", new Dataset.SplitSummary(1, 1, 0, 0)),
        s.splits());
  }

  @Test
  void validationRejectsCandidatesOutsideTheCorpus() {
    Path run = write(root, "toy/runs/b.trec", "q2 Q0 p3 1 2.0 bm25\nq2 Q0 p9 2 1.0 bm25\n");
    assertInputError(run, 2, "a document id of the corpus, found 'p9'", () -> Dataset.load(yaml, root).validate());
  }

  @Test
  void validationRejectsUnknownQueries() {
    Path qrels = write(root, "toy/qrels.c.txt", "q3 0 p4 3\nq7 0 p4 1\n");
    assertInputError(qrels, 2, "a known query id, found 'q7'", () -> Dataset.load(yaml, root).validate());
  }

  @Test
  void judgedDocumentsOutsideTheCorpusNeedAPartialCorpus() {
    Path qrels = write(root, "toy/qrels.c.txt", "q3 0 p4 3\nq3 0 p99 1\n");
    assertInputError(qrels, 2, "a document id of the corpus, found 'p99'", () -> Dataset.load(yaml, root).validate());
    Path partial = write(root, "defs/partial.yaml", "partialCorpus: true\n" + readString(yaml));
    assertEquals(2, Dataset.load(partial, root).validate().splits().get("test").judgments());
  }

  @Test
  void validationRejectsAQueryInTwoSplits() {
    write(root, "toy/qrels.c.txt", "q3 0 p4 3\nq1 0 p4 1\n");
    assertInputError(yaml, 0, "found 1 judged queries of split test also judged in split train, e.g. q1",
        () -> Dataset.load(yaml, root).validate());
    write(root, "toy/qrels.c.txt", "q3 0 p4 3\nq1 0 p4 1\nq2 0 p4 1\n");
    assertInputError(yaml, 0, "found 2 judged queries of split test also judged in split train, e.g. q1, q2",
        () -> Dataset.load(yaml, root).validate());
  }

  @Test
  void aKeyGivenTwiceIsAnErrorAtItsLine() {
    Path twice = write(root, "defs/twice.yaml", readString(yaml).replace("  test:\n", "  train:\n"));
    assertInputError(twice, 8, "Duplicate field 'train'", () -> Dataset.load(twice, root));
  }

  @Test
  void validationRejectsDuplicateDocuments() {
    Path corpus = write(root, "toy/collection.tsv", "p1\tone\np2\ttwo\np3\tthree\np4\tfour\np2\tagain\n");
    assertInputError(corpus, 5, "a unique id, found 'p2' again", () -> Dataset.load(yaml, root).validate());
  }

  @Test
  void rejectsBadDefinitions() {
    Path typo = write(root, "defs/typo.yaml", readString(yaml).replace("candidates:", "candidate:"));
    assertInputError(typo, 8, "Unrecognized field \"candidate\"", () -> Dataset.load(typo, root));
    Path missingFile = write(root, "defs/missing.yaml", readString(yaml).replace("qrels.c.txt", "qrels.d.txt"));
    MissingDataException missing = assertThrows(MissingDataException.class, () -> Dataset.load(missingFile, root));
    assertEquals(List.of("toy/qrels.d.txt"), missing.missing());
    assertTrue(missing.getMessage().startsWith("dataset missing: 1 file missing under the data root "
        + root.toAbsolutePath().normalize() + ": toy/qrels.d.txt"), missing.getMessage());
    Path noSplits = write(root, "defs/nosplits.yaml", "corpus: toy/collection.tsv\nqueries: toy/queries.tsv\n");
    assertInputError(noSplits, 0, "with corpus, queries and splits", () -> Dataset.load(noSplits, root));
    Path noQrels = write(root, "defs/noqrels.yaml", readString(yaml).replace("    qrels: [toy/qrels.c.txt]\n", "    candidates: [toy/runs/c.trec]\n"));
    assertInputError(noQrels, 0, "qrels files for split 'test'", () -> Dataset.load(noQrels, root));
    Path level0 = write(root, "defs/level0.yml", readString(yaml).replace("relevanceLevel: 2", "relevanceLevel: 0"));
    assertInputError(level0, 0, "a relevanceLevel of at least 1, found 0", () -> Dataset.load(level0, root));
    Path yml = write(root, "defs/other.yml", readString(yaml));
    assertEquals("other", Dataset.load(yml, root).name());
  }

  @Test
  void aSplitWithHeldOutQueriesHasAHeldOutPartAndAFitPart() {
    write(root, "defs/toy-heldout.qids", "# held out for choices\nq2\n\n");
    Path held = write(root, "defs/held.yaml",
        readString(yaml).replace("toy/runs/b.trec]\n", "toy/runs/b.trec]\n    heldOut: toy-heldout.qids\n"));
    Dataset d = Dataset.load(held, root);
    assertEquals(Set.of("q2"), d.split("train").heldOut());
    assertEquals(Set.of("q1", "q2"), d.qrels("train").queryIds());
    assertEquals(Set.of("q2"), d.qrels("train:heldout").queryIds());
    assertEquals(Set.of("q1"), d.qrels("train:fit").queryIds());
    assertEquals(2, d.qrels("train:fit").size());
    assertEquals(Set.of("q2"), d.candidates("train:heldout").orElseThrow().queryIds());
    assertEquals(Set.of("q1"), d.candidates("train:fit").orElseThrow().queryIds());
    assertEquals(new Dataset.SplitSummary(2, 3, 2, 3), d.validate().splits().get("train"), "parts are no new splits");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> d.qrels("test:fit"));
    assertTrue(none.getMessage().contains("holds no queries out"), none.getMessage());
  }

  @Test
  void heldOutListsAreChecked() {
    Path held = write(root, "defs/held.yaml",
        readString(yaml).replace("toy/runs/b.trec]\n", "toy/runs/b.trec]\n    heldOut: toy-heldout.qids\n"));
    assertInputError(held, 0, "an existing query-id list for heldOut 'toy-heldout.qids'",
        () -> Dataset.load(held, root));
    Path twoOnALine = write(root, "defs/toy-heldout.qids", "q1\nq2 q3\n");
    assertInputError(twoOnALine, 2, "one distinct query id a line, found 'q2 q3'", () -> Dataset.load(held, root));
    write(root, "defs/toy-heldout.qids", "q3\n");
    assertInputError(held, 0, "held-out queries judged in split train, found 'q3'",
        () -> Dataset.load(held, root).validate());
  }

  @Test
  void missingDataNamesTheDatasetEveryFileAndTheFetchCommandThatGetsThem() {
    Path empty = root.resolve("empty");
    MissingDataException scifact = assertThrows(MissingDataException.class, () -> Dataset.named("scifact", empty));
    String where = empty.toAbsolutePath().normalize().toString();
    assertEquals("dataset scifact: 4 files missing under the data root " + where + ": scifact/corpus.jsonl,"
        + " scifact/queries.jsonl, scifact/qrels/train.tsv, scifact/qrels/test.tsv\n"
        + "  `dualrank data fetch scifact --data " + where + "` gets them", scifact.getMessage());

    MissingDataException dl = assertThrows(MissingDataException.class, () -> Dataset.named("msmarco-dl", empty));
    assertTrue(dl.getMessage().contains("`dualrank data fetch trec-dl --data " + where + "` gets"
        + " msmarco-dl/queries.tsv, msmarco-dl/qrels.dl20.txt, msmarco-dl/qrels.dl21.txt, msmarco-dl/qrels.dl19.txt"),
        dl.getMessage());
    assertTrue(dl.getMessage().contains("no `dualrank data fetch` gets msmarco-dl/collection.tsv,"
        + " msmarco-dl/runs/bm25.dl20.trec, msmarco-dl/runs/bm25.dl21.trec, msmarco-dl/runs/bm25.dl19.trec: bring them"
        + " yourself"), dl.getMessage());

    MissingDataException nq = assertThrows(MissingDataException.class, () -> Dataset.named("nq", empty));
    assertTrue(nq.getMessage().endsWith("\n  `dualrank data fetch nq --data " + where + "` gets them"), nq.getMessage());
  }

  @Test
  void theEmbeddedSampleNeedsNoDataRoot() {
    Dataset sample = Dataset.named("nq-sample", root.resolve("nowhere"));
    assertTrue(sample.embedded());
    Dataset.Summary summary = sample.validate();
    assertEquals(499, summary.documents());
    assertEquals(220, summary.queries());
    assertEquals(160, summary.splits().get("train").judgedQueries());
    assertEquals(60, summary.splits().get("test").judgedQueries());
    assertEquals(40, sample.qrels("train:heldout").queryIds().size());
    assertEquals(120, sample.qrels("train:fit").queryIds().size());
  }

  @Test
  void dataRootComesFromTheOptionFirst() {
    assertEquals(Path.of("/some/where"), Dataset.dataRoot("/some/where"));
    if (System.getenv(Dataset.DATA_ROOT_ENV) == null) {
      assertEquals(Dataset.home().resolve("../shared/data").normalize(), Dataset.dataRoot(null));
      assertEquals(Path.of("").toAbsolutePath(), Dataset.home(), "without dualrank.home, the working directory");
    }
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.ToyDataset;
import io.dualrank.model.RankerModel;
import io.dualrank.model.TinyModels;
import io.dualrank.train.Trainer;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Resumable commands keyed on their inputs: a job interrupted and rerun with another model, corpus or data
 * is refused, naming what changed, instead of mixing old and new results; and commands check a dataset
 * before they use it.
 */
class ResumeCommandsTest {
  @TempDir Path tmp;
  Path root;
  Path definition;

  private record Result(int exitCode, String err) {}

  private static Result run(String... args) {
    CommandLine cl = DualRank.commandLine();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), err.toString());
  }

  @BeforeEach
  void writeDataset() throws IOException {
    root = ToyDataset.writeData(tmp.resolve("data"));
    definition = ToyDataset.writeDefinition(tmp.resolve("toy.yaml"));
  }

  private Path model(String name, long seed) throws IOException {
    Path dir = tmp.resolve(name);
    try (RankerModel m = RankerModel.create(TinyModels.crossEncoder(), seed)) {
      m.save(dir);
    }
    return dir;
  }

  private Result teacherScore(Path model, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("teacher-score", "--dataset", definition.toString(), "--data",
        root.toString(), "--model", model.toString(), "--out", out.toString(), "--queries-per-part", "1"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void teacherScoringInterruptedThenRerunWithAnotherModelIsRefusedOrRestarted() throws IOException {
    Path a = model("a", 1);
    Path b = model("b", 2);
    Path out = tmp.resolve("scores.txt");
    // Every part is scored, then the final merge fails (a non-empty folder stands where the file goes): the
    // job stops as a killed one would, with its finished parts on disk.
    Files.createDirectories(out.resolve("blocker"));
    Result interrupted = teacherScore(a, out);
    assertEquals(2, interrupted.exitCode(), interrupted.err());
    assertTrue(Files.isRegularFile(tmp.resolve("scores.txt.parts/part-00003.txt")), "all four parts finished");
    AtomicFiles.deleteRecursively(out);

    Result refused = teacherScore(b, out);
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("holds work made from other inputs: model model.params.sha256 was "),
        refused.err());
    assertFalse(refused.err().contains("config.json"), "the same config: not named as changed; " + refused.err());
    assertTrue(refused.err().contains("--restart"), refused.err());
    assertFalse(Files.exists(out));

    Path fresh = tmp.resolve("fresh.txt");
    assertEquals(0, teacherScore(b, fresh).exitCode());
    Result restarted = teacherScore(b, out, "--restart");
    assertEquals(0, restarted.exitCode(), restarted.err());
    assertEquals(Files.readString(fresh), Files.readString(out), "B's scores only, none of A's");
  }

  @Test
  void teacherScoringRefusesToResumeOnChangedQrels() throws IOException {
    Path a = model("a", 1);
    Path out = tmp.resolve("scores.txt");
    Files.createDirectories(out.resolve("blocker"));
    assertEquals(2, teacherScore(a, out).exitCode());
    AtomicFiles.deleteRecursively(out);
    Files.writeString(root.resolve("toy/qrels.train.txt"), "q0 0 p0 1\nq1 0 p1 1\nq2 0 p2 1\nq3 0 p4 1\n");
    Result refused = teacherScore(a, out);
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("train qrels toy/qrels.train.txt was "), refused.err());
  }

  @Test
  void encodingInterruptedThenRerunOverAChangedCorpusIsRefused() throws IOException {
    Path corpus = Files.writeString(tmp.resolve("corpus.tsv"), "d1\tone\nd2\ttwo\nd3\tthree\nd4\tfour\n");
    Path out = tmp.resolve("emb");
    String[] encode = {"encode", "--model", "hashing:16", "--corpus", corpus.toString(), "--out", out.toString(),
        "--shard-size", "2"};
    assertEquals(0, run(encode).exitCode());
    Files.delete(out.resolve("shard-000001.emb")); // as if killed while writing the second shard
    Files.writeString(corpus, "d3\tthree\nd4\tfour\nd1\tone\nd2\ttwo\n");
    Result refused = run(encode);
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("corpus corpus.tsv.sha256 was "), refused.err());
    assertFalse(Files.exists(out.resolve("shard-000001.emb")), "nothing encoded over the old shard");

    Result restarted = run(List.of(encode, new String[] {"--restart"}).stream().flatMap(java.util.Arrays::stream)
        .toArray(String[]::new));
    assertEquals(0, restarted.exitCode(), restarted.err());
    assertTrue(Files.isRegularFile(out.resolve("shard-000001.emb")), "encoded again from the start");
  }

  @Test
  void commandsRefuseADatasetWhoseSplitsShareQueries() throws IOException {
    Files.writeString(root.resolve("toy/qrels.test.txt"), "q4 0 p4 1\nq5 0 p5 1\nq1 0 p1 1\n");
    Result refused = teacherScore(model("a", 1), tmp.resolve("scores.txt"));
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains(definition + ": splits with disjoint queries"), refused.err());
    assertTrue(refused.err().contains("1 judged queries of split test also judged in split train, e.g. q1"),
        refused.err());
  }

  @Test
  void aWarmStartRecordsItsSourceAndRefusesAnotherModel() throws IOException {
    Path start = model("start", 1);
    List<String> train = List.of("train", "--dataset", definition.toString(), "--data", root.toString(), "--model",
        "ca", "--init", "random:2x32x2", "--max-query-length", "16", "--max-length", "48", "--steps", "2",
        "--batch", "2", "--negatives", "2", "--depth", "6", "--eval-every", "100", "--eval-queries", "2",
        "--eval-depth", "6", "--start-from", start.toString());
    Result warm = run(java.util.stream.Stream.concat(train.stream(), java.util.stream.Stream.of("--pooling", "cls",
        "--out", tmp.resolve("warm").toString())).toArray(String[]::new));
    assertEquals(0, warm.exitCode(), warm.err());
    String provenance = Files.readString(tmp.resolve("warm/provenance.json"));
    assertTrue(provenance.contains("\"startFrom\""), provenance);
    assertTrue(provenance.contains(RankerModel.checksums(start).get("model model.params.sha256")), provenance);

    // A run stopped after its checkpoint at step 1 (its final save fails: a non-empty folder stands where the
    // weights go), then resumed from a start whose weights changed meanwhile: refused, naming the start's weights.
    Path cut = tmp.resolve("cut");
    Files.createDirectories(cut.resolve(RankerModel.WEIGHTS).resolve("blocker"));
    List<String> checkpointed = new ArrayList<>(train);
    checkpointed.addAll(List.of("--pooling", "cls", "--checkpoint-every", "1", "--out", cut.toString()));
    Result stopped = run(checkpointed.toArray(String[]::new));
    assertEquals(2, stopped.exitCode(), stopped.err());
    assertTrue(Files.isDirectory(cut.resolve(Trainer.CHECKPOINT)), stopped.err());
    AtomicFiles.deleteRecursively(cut.resolve(RankerModel.WEIGHTS));
    AtomicFiles.deleteRecursively(start);
    model("start", 2);
    checkpointed.add("--resume");
    Result refused = run(checkpointed.toArray(String[]::new));
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("start-from model model.params.sha256 was "), refused.err());

    Result other = run(java.util.stream.Stream.concat(train.stream(), java.util.stream.Stream.of("--pooling", "mean",
        "--out", tmp.resolve("other").toString())).toArray(String[]::new));
    assertEquals(2, other.exitCode(), other.err());
    assertTrue(other.err().contains("a warm start needs the same model up to its lengths"), other.err());
  }
}

package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dualrank train} in its own JVM, stopped with SIGTERM ({@link Process#destroy()} on Linux) as a scheduler
 * or {@code kill PID} does: it stops at a step boundary with exit status 143, without a JVM crash report, having
 * checkpointed the step it reached (the run's own checkpoints are too rare to have written one), and
 * {@code --resume} continues from there to the same weights as a run that was never stopped.
 */
class TrainStopTest {
  private static final String[] WORDS = {"volcano", "piano", "glacier", "tulip", "comet", "falcon", "copper",
      "harbor", "lantern", "meadow", "oyster", "saddle"};
  private static final Pattern STOPPED = Pattern.compile("stopped by SIGTERM; step (\\d+) of 60 is checkpointed in");
  @TempDir Path tmp;

  /**
   * A 12-query dataset where query i asks about the one word that only document i holds; queries 0-8 train,
   * 9-11 test (splits may not share queries).
   */
  private Path dataset() throws IOException {
    StringBuilder corpus = new StringBuilder();
    StringBuilder queries = new StringBuilder();
    StringBuilder[] qrels = {new StringBuilder(), new StringBuilder()};
    StringBuilder[] run = {new StringBuilder(), new StringBuilder()};
    for (int i = 0; i < WORDS.length; i++) {
      corpus.append("d").append(i).append("\ta short text on the ").append(WORDS[i]).append(" and nothing else\n");
      queries.append("q").append(i).append("\ttell me about the ").append(WORDS[i]).append('\n');
      int split = i < 9 ? 0 : 1;
      qrels[split].append("q").append(i).append(" 0 d").append(i).append(" 1\n");
      for (int j = 0; j < WORDS.length; j++) {
        run[split].append("q").append(i).append(" Q0 d").append(j).append(' ').append(j + 1).append(' ').append(-j)
            .append(" bm25\n");
      }
    }
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("corpus.tsv"), corpus);
    Files.writeString(data.resolve("queries.tsv"), queries);
    Files.writeString(data.resolve("qrels.train.txt"), qrels[0]);
    Files.writeString(data.resolve("qrels.test.txt"), qrels[1]);
    Files.writeString(data.resolve("candidates.train.trec"), run[0]);
    Files.writeString(data.resolve("candidates.test.trec"), run[1]);
    return Files.writeString(data.resolve("words.yaml"), """
        corpus: corpus.tsv
        queries: queries.tsv
        relevanceLevel: 1
        splits:
          train: {qrels: [qrels.train.txt], candidates: [candidates.train.trec]}
          test: {qrels: [qrels.test.txt], candidates: [candidates.test.trec]}
        """);
  }

  private static List<String> trainArgs(Path yaml, Path out) {
    return List.of("train", "--dataset", yaml.toString(), "--data", yaml.getParent().toString(), "--model", "de",
        "--init", "random:2x32x2", "--out", out.toString(), "--steps", "60", "--batch", "4", "--negatives", "3",
        "--depth", "12", "--eval-every", "1000", "--eval-queries", "12", "--eval-depth", "12",
        "--checkpoint-every", "1000", "--lr", "1e-3", "--seed", "5");
  }

  /** Starts the CLI in a new JVM with this test's class path, in {@code workDir}, stderr to {@code err}. */
  private static Process launch(List<String> args, Path workDir, Path err) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.default_engine=PyTorch", "-cp",
        System.getProperty("java.class.path"), DualRank.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(err.toFile()).start();
  }

  private static int waitFor(Process p, Path log) throws Exception {
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("no exit within 180 s:\n" + Files.readString(log));
    }
    return p.exitValue();
  }

  @Test
  void sigtermStopsAtAStepBoundaryWithACheckpointThatResumeContinues() throws Exception {
    Path yaml = dataset();
    Path out = tmp.resolve("model");
    Path workDir = Files.createDirectories(tmp.resolve("wd"));
    Path log = tmp.resolve("stopped.log");
    Process p = launch(trainArgs(yaml, out), workDir, log);
    // metrics.jsonl appears once the step-0 evaluation is done, inside the training loop's watch
    for (int i = 0; i < 1200 && p.isAlive() && !Files.exists(out.resolve("metrics.jsonl")); i++) {
      Thread.sleep(100);
    }
    assertTrue(p.isAlive(), () -> "training ended before the signal: " + read(log));
    p.destroy();
    int status = waitFor(p, log);
    String stderr = Files.readString(log);

    assertEquals(143, status, stderr);
    Matcher m = STOPPED.matcher(stderr);
    assertTrue(m.find(), stderr);
    int stoppedAt = Integer.parseInt(m.group(1));
    assertTrue(stoppedAt >= 1 && stoppedAt < 60, stderr);
    assertTrue(Files.isRegularFile(out.resolve("checkpoint/model.params")), stderr);
    assertFalse(Files.exists(out.resolve("provenance.json")), "a stopped run saves no final model");
    try (Stream<Path> files = Files.list(workDir)) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).toList(), "no hs_err_pid*.log");
    }

    Path resumedLog = tmp.resolve("resumed.log");
    List<String> resume = new ArrayList<>(trainArgs(yaml, out));
    resume.add("--resume");
    int resumed = waitFor(launch(resume, workDir, resumedLog), resumedLog);
    String resumedErr = Files.readString(resumedLog);
    assertEquals(0, resumed, resumedErr);
    assertTrue(resumedErr.contains("at step " + stoppedAt), resumedErr);
    assertTrue(Files.isRegularFile(out.resolve("provenance.json")), resumedErr);
    assertFalse(Files.exists(out.resolve("checkpoint")), resumedErr);

    Path straight = tmp.resolve("straight");
    StringWriter err = new StringWriter();
    var cl = DualRank.commandLine();
    cl.setErr(new PrintWriter(err, true));
    assertEquals(0, cl.execute(trainArgs(yaml, straight).toArray(String[]::new)), err.toString());
    assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")), Files.readAllBytes(out.resolve("model.params")),
        "stopped and resumed = never stopped");
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}

package io.dualrank.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints timings; asserts nothing. Run with {@code mvn test -Dtest=EncoderTimingsTest -Ddualrank.timings=true}.
 * Forward (inference) and forward + backward (training, dropout on) on a 32 × 128 batch, each batch in its
 * own sub-manager; the process's resident memory after each step shows whether native memory leaks.
 */
@EnabledIfSystemProperty(named = "dualrank.timings", matches = "true")
class EncoderTimingsTest {
  private static final int BATCH = 32;
  private static final int LENGTH = 128;
  private static final int STEPS = 5;

  @Test
  void tokenizationThroughput() {
    List<String> texts = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      texts.add("Passage " + i + ": the dual encoder scores " + random.nextInt(1000)
          + " documents by the inner product of their embeddings with the query embedding, while a"
          + " cross-attention model reads each query and document together.");
    }
    try (WordPieceTokenizer tokenizer = PretrainedEncoder.ALL_MINILM_L6_V2.tokenizer()) {
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 1000) {
          tokenizer.encode(texts.subList(from, from + 1000), 128);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("tokenize+batch: %.0f texts/s%n", texts.size() / seconds);
      }
    }
  }

  @Test
  void forwardAndBackward() throws IOException {
    for (PretrainedEncoder pretrained : PretrainedEncoder.values()) {
      try (NDManager manager = NDManager.newBaseManager()) {
        BertEncoder encoder = pretrained.load(manager);
        TokenBatch batch = randomBatch(encoder.config().vocabSize());
        double[] forward = new double[STEPS];
        double[] training = new double[STEPS];
        for (int step = 0; step < STEPS; step++) {
          try (NDManager arrays = manager.newSubManager()) {
            NDList inputs = batch.toNDList(arrays);
            long start = System.nanoTime();
            encoder.forward(new ParameterStore(arrays, false), inputs, false).head().toFloatArray();
            forward[step] = (System.nanoTime() - start) / 1e6;
          }
          try (NDManager arrays = manager.newSubManager();
              GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList inputs = batch.toNDList(arrays);
            long start = System.nanoTime();
            collector.zeroGradients();
            NDArray hidden = encoder.forward(new ParameterStore(arrays, false), inputs, true).head();
            collector.backward(hidden.get(":, 0, :").square().mean());
            training[step] = (System.nanoTime() - start) / 1e6;
          }
          System.out.printf("%s step %d: forward %.0f ms, forward+backward %.0f ms, RSS %d MiB%n",
              pretrained, step, forward[step], training[step], residentMiB());
        }
        System.out.printf("%s %dx%d median: forward %.0f ms, forward+backward %.0f ms%n",
            pretrained, BATCH, LENGTH, median(forward), median(training));
      }
    }
  }

  private static TokenBatch randomBatch(int vocabSize) {
    Random random = new Random(3);
    int[] ids = new int[BATCH * LENGTH];
    Arrays.setAll(ids, i -> 1000 + random.nextInt(vocabSize - 1000));
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    return new TokenBatch(BATCH, LENGTH, ids, mask, new int[ids.length]);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long residentMiB() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
        .findFirst().orElse(-1);
  }
}

package io.dualrank.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.model.BertConfig;
import io.dualrank.model.BertEncoder;
import io.dualrank.model.MatrixPrecision;
import io.dualrank.model.PretrainedEncoder;
import io.dualrank.text.TokenBatch;
import io.dualrank.train.AdamW;
import io.dualrank.util.GitInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Speed of the BERT blocks per {@link MatrixPrecision}, run with {@code bench/run precision [options]}: a CA
 * training step, a DE training step, DE encoding and CA scoring, at fixed shapes on a randomly initialised
 * MiniLM-L6-sized encoder (H 384, 6 layers, 12 heads, FFN 1536; speed does not depend on the weights), no
 * padding. Every path is timed in the same process, repetitions interleaved (fp32, bf16, fp16, int8, fp32,
 * ...), so ratios hold on a shared machine; the median repetition is reported. int8 (inference only) runs
 * the inference workloads; its {@code gemm} is {@code MatrixPrecision.INT8.linear} on the float32 operands,
 * so it includes quantising and packing the weight and quantising the activations, which the encoder's
 * other paths do not pay per product (it packs its weights when set, before the clock starts).
 *
 * <p>FLOPs count only the matrix products, 2·m·n·k each; per layer over B sequences of L tokens:
 * projections QKV and attention output {@code 4 · 2BL·H·H}, FFN {@code 2 · 2BL·H·F}, attention {@code Q Kᵀ}
 * and {@code P V} {@code 2 · 2B·L²·H}; embeddings, heads and element-wise work are not counted. A training
 * step counts 3× its forward (backward: one product for the input gradient and one for the weight gradient
 * per forward product). Peak = cores × clock × 2 FMA units × 16 fp32 lanes × 2 flops (fp32), doubled for
 * bf16 (vdpbf16ps: 32 bf16 products per 512-bit instruction) and for fp16 (AVX512-FP16: 32 lanes),
 * quadrupled for int8 (vpdpbusd: 64 u8·s8 products); the clock
 * is /proc/cpuinfo's "cpu MHz" and 2 FMA units per core is an assumption for the SKU.
 */
@Command(name = "precision", mixinStandardHelpOptions = true)
public final class PrecisionBench implements Callable<Integer> {
  @Option(names = "--repetitions", description = "timed repetitions per path and workload (default ${DEFAULT-VALUE})")
  int repetitions = 3;

  @Option(names = "--precisions", split = ",", description = "paths to compare, of fp32, bf16, fp16, int8"
      + " (default: fp32 and those the CPU supports)")
  List<String> precisions;

  @Option(names = "--workloads", split = ",", description = "gemm, ca-train, de-train, de-encode, ca-score (default all)")
  List<String> workloads = List.of("gemm", "ca-train", "de-train", "de-encode", "ca-score");

  @Option(names = "--layers", description = "encoder layers (default ${DEFAULT-VALUE})")
  int layers = 6;

  @Option(names = "--corpus", description = "also compare pre-trained MiniLM encoding of this corpus's first 64"
      + " documents in DJL (each path) and ONNX Runtime fp32 and int8 (langchain4j's quantised graph)")
  Path corpus;

  static final int QUERIES = 8;
  static final int PASSAGES = 8;
  static final int PAIR_LENGTH = 160;
  static final int QUERY_LENGTH = 32;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PrecisionBench()).execute(args));
  }

  /** The lone GEMM: {@code [8192, 384] · [384, 1536]} (an FFN product of 8192 tokens), operands already cast. */
  static final long[] GEMM = {8192, 384, 1536};

  /** One workload: the {@code [B, L]} shapes of its encoder calls, and whether it trains. */
  record Workload(String name, List<long[]> batches, boolean training) {
    /** Forward matrix-product FLOPs of one run. */
    double forwardFlops(BertConfig c) {
      if (name.equals("gemm")) {
        return 2.0 * GEMM[0] * GEMM[1] * GEMM[2];
      }
      double h = c.hiddenSize();
      double f = c.intermediateSize();
      double sum = 0;
      for (long[] bl : batches) {
        double b = bl[0];
        double l = bl[1];
        sum += c.numLayers() * (8 * b * l * h * h + 4 * b * l * h * f + 4 * b * l * l * h);
      }
      return sum;
    }

    double flops(BertConfig c) {
      return (training ? 3 : 1) * forwardFlops(c);
    }

    long tokens() {
      if (name.equals("gemm")) {
        return GEMM[0];
      }
      return batches.stream().mapToLong(bl -> bl[0] * bl[1]).sum();
    }
  }

  static Workload workload(String name) {
    long pairs = QUERIES * PASSAGES;
    return switch (name) {
      case "gemm" -> new Workload(name, List.of(), false);
      case "ca-train" -> new Workload(name, List.of(new long[] {pairs, PAIR_LENGTH}), true);
      case "de-train" -> new Workload(name, List.of(new long[] {QUERIES, QUERY_LENGTH}, new long[] {pairs, PAIR_LENGTH}), true);
      case "de-encode" -> new Workload(name, List.of(new long[] {pairs, PAIR_LENGTH}), false);
      case "ca-score" -> new Workload(name, List.of(new long[] {pairs, PAIR_LENGTH}), false);
      default -> throw new CommandLine.ParameterException(new CommandLine(new PrecisionBench()),
          "workload '" + name + "': expected gemm, ca-train, de-train, de-encode or ca-score");
    };
  }

  @Override
  public Integer call() throws IOException {
    Set<String> flags = MatrixPrecision.cpuFlags();
    List<MatrixPrecision> paths = precisions == null
        ? List.of(MatrixPrecision.values()).stream().filter(p -> p.supportedBy(flags)).toList()
        : precisions.stream().map(MatrixPrecision::parse).toList();
    BertConfig config = new BertConfig(30522, 384, layers, 12, 1536, 512, 2, 0.1f, BertConfig.DEFAULT_LAYER_NORM_EPS);
    int cores = Runtime.getRuntime().availableProcessors();
    double mhz = cpuMhz();
    double fp32Peak = cores * mhz * 1e6 * 2 * 16 * 2;
    System.out.printf(Locale.ROOT, "## Matrix precision%ncommit %s; %s; %d cores at %.0f MHz; flags: %s; load average %s%n",
        GitInfo.current().describe(), cpuModel(), cores, mhz,
        flags.stream().filter(f -> f.startsWith("amx") || f.contains("bf16") || f.contains("fp16") || f.contains("vnni"))
            .sorted().collect(Collectors.joining(" ")), DenseBench.loadAverage());
    System.out.printf(Locale.ROOT, "peak (assumed 2 FMA units): fp32 %.0f GFLOP/s, bf16 and fp16 %.0f GFLOP/s, int8 %.0f GOP/s%n%n",
        fp32Peak / 1e9, 2 * fp32Peak / 1e9, 4 * fp32Peak / 1e9);
    System.out.println("| workload | path | tokens/s | GFLOP/s | fraction of peak | ratio to fp32 | median s | runs (s) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      BertEncoder encoder = new BertEncoder(config).initializeParameters(manager);
      List<Parameter> parameters = encoder.getParameters().values();
      try (AdamW adam = AdamW.forFineTuning(parameters, manager)) {
        for (String name : workloads) {
          Workload w = workload(name);
          List<MatrixPrecision> runnable = paths.stream().filter(p -> !(w.training() && p == MatrixPrecision.INT8)).toList();
          Map<MatrixPrecision, List<Double>> seconds = new EnumMap<>(MatrixPrecision.class);
          for (int rep = -1; rep < repetitions; rep++) { // rep -1: untimed warm-up of every path
            for (MatrixPrecision p : runnable) {
              encoder.setMatrixPrecision(p);
              double s = w.name().equals("gemm") ? gemm(p, manager) : run(w, encoder, parameters, adam, manager, config);
              if (rep >= 0) {
                seconds.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
              }
            }
          }
          double fp32Median = seconds.containsKey(MatrixPrecision.FP32) ? median(seconds.get(MatrixPrecision.FP32)) : Double.NaN;
          for (MatrixPrecision p : runnable) {
            double s = median(seconds.get(p));
            double flops = w.flops(config) / s;
            double peak = peak(p, fp32Peak);
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.3f | %.2f | %.3f | %s |%n", name, p.cliName(),
                w.tokens() / s, flops / 1e9, flops / peak, fp32Median / s, s,
                seconds.get(p).stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(" ")));
          }
        }
      }
      encoder.setMatrixPrecision(MatrixPrecision.FP32); // frees int8's packed weights
    }
    if (corpus != null) {
      compareEncoders(paths, fp32Peak);
    }
    System.out.printf("%nload average at the end: %s%n", DenseBench.loadAverage());
    return 0;
  }

  /** The assumed peak of {@code p}'s products: fp32's, 2× for bf16 and fp16, 4× for int8. */
  private static double peak(MatrixPrecision p, double fp32Peak) {
    return switch (p) {
      case FP32 -> fp32Peak;
      case BF16, FP16 -> 2 * fp32Peak;
      case INT8 -> 4 * fp32Peak;
    };
  }

  /** One way to embed a token batch: mean-pooled last hidden states {@code [B][H]}. */
  interface Embedder {
    float[][] embed(TokenBatch batch);
  }

  /**
   * Pre-trained all-MiniLM-L6-v2 embedding the first 64 documents of {@link #corpus} (at most 160 word
   * pieces, one call): DJL in every path, ONNX Runtime on the fp32 graph and on langchain4j's dynamically
   * quantised int8 graph (MatMulInteger on VNNI), interleaved. Reports documents/s, FLOP/s (padded shape
   * B·L, as the graphs compute it) and the smallest cosine of each path's embeddings to ONNX Runtime fp32's.
   */
  private void compareEncoders(List<MatrixPrecision> paths, double fp32Peak) throws IOException {
    List<String> texts;
    try (var docs = Corpus.open(corpus).stream()) {
      texts = docs.limit(QUERIES * PASSAGES).map(Document::fullText).toList();
    }
    PretrainedEncoder minilm = PretrainedEncoder.ALL_MINILM_L6_V2;
    TokenBatch batch = minilm.tokenizer().encode(texts, PAIR_LENGTH);
    BertConfig config = minilm.config();
    int threads = Runtime.getRuntime().availableProcessors();
    Map<String, Embedder> embedders = new LinkedHashMap<>();
    Map<String, MatrixPrecision> djlPaths = new LinkedHashMap<>();
    Map<String, Double> peaks = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager();
        OrtSession fp32 = ortSession(minilm.openOnnx(), threads);
        OrtSession int8 = ortSession(PrecisionBench.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx"), threads)) {
      BertEncoder encoder = minilm.load(manager);
      for (MatrixPrecision p : paths) {
        djlPaths.put("djl-" + p.cliName(), p);
        embedders.put("djl-" + p.cliName(), b -> {
          try (NDManager scratch = manager.newSubManager()) {
            NDList tokens = b.toNDList(scratch);
            NDArray hidden = encoder.forward(new ParameterStore(scratch, false), tokens, false).head();
            NDArray mask = tokens.get(1).toType(DataType.FLOAT32, false).expandDims(2);
            NDArray mean = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));
            float[] flat = mean.toFloatArray();
            float[][] out = new float[b.size()][];
            for (int i = 0; i < b.size(); i++) {
              out[i] = java.util.Arrays.copyOfRange(flat, i * config.hiddenSize(), (i + 1) * config.hiddenSize());
            }
            return out;
          }
        });
        peaks.put("djl-" + p.cliName(), peak(p, fp32Peak));
      }
      embedders.put("ort-fp32", b -> ortMeanPooled(fp32, b));
      peaks.put("ort-fp32", fp32Peak);
      embedders.put("ort-int8", b -> ortMeanPooled(int8, b));
      peaks.put("ort-int8", 4 * fp32Peak); // vpdpbusd: 64 int8 products per 512-bit instruction
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      Map<String, float[][]> embeddings = new LinkedHashMap<>();
      for (int rep = -1; rep < repetitions; rep++) {
        for (var e : embedders.entrySet()) {
          if (djlPaths.containsKey(e.getKey())) {
            encoder.setMatrixPrecision(djlPaths.get(e.getKey())); // int8 packs its weights here, untimed
          }
          long t = System.nanoTime();
          float[][] out = e.getValue().embed(batch);
          double s = (System.nanoTime() - t) / 1e9;
          if (rep >= 0) {
            seconds.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s);
          }
          embeddings.put(e.getKey(), out);
        }
      }
      double flops = new Workload("de-encode", List.of(new long[] {batch.size(), batch.length()}), false).flops(config);
      double ortSeconds = median(seconds.get("ort-fp32"));
      double djlSeconds = median(seconds.get("djl-fp32"));
      System.out.printf(Locale.ROOT, "%n### Pre-trained all-MiniLM-L6-v2, %d documents of %s, padded to %d word pieces%n%n",
          batch.size(), corpus, batch.length());
      System.out.println("| path | documents/s | GFLOP/s | fraction of peak | ratio to DJL fp32 | ratio to ORT fp32 | min cosine to ORT fp32 | runs (s) |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (String name : embedders.keySet()) {
        double s = median(seconds.get(name));
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.2f | %.2f | %.5f | %s |%n", name, batch.size() / s,
            flops / s / 1e9, flops / s / peaks.get(name), djlSeconds / s, ortSeconds / s,
            DenseBench.Encode.minCosine(embeddings.get(name), embeddings.get("ort-fp32")),
            seconds.get(name).stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(" ")));
      }
      encoder.setMatrixPrecision(MatrixPrecision.FP32);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed", e);
    }
  }

  private static OrtSession ortSession(InputStream graph, int threads) throws IOException, OrtException {
    try (InputStream in = graph; OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      return OrtEnvironment.getEnvironment().createSession(in.readAllBytes(), options);
    }
  }

  private static float[][] ortMeanPooled(OrtSession session, TokenBatch b) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {b.size(), b.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(b.inputIds())), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(b.attentionMask())), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(longs(b.tokenTypeIds())), shape);
        OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      float[][][] hidden = (float[][][]) result.get(0).getValue();
      float[][] out = new float[b.size()][hidden[0][0].length];
      for (int row = 0; row < b.size(); row++) {
        int tokens = b.tokenCount(row);
        for (int t = 0; t < tokens; t++) {
          for (int h = 0; h < out[row].length; h++) {
            out[row][h] += hidden[row][t][h] / tokens;
          }
        }
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + b.size(), e);
    }
  }

  private static long[] longs(int[] xs) {
    return java.util.Arrays.stream(xs).asLongStream().toArray();
  }


  /**
   * One run of {@code w}. Training: forward, a softmax cross-entropy over each query's group of 8 (the
   * [CLS] state's first coordinate as the score, positive first), backward and an AdamW update (parameters,
   * gradients and optimiser state float32). Inference: forward without gradients. Returns its seconds.
   */
  private static double run(Workload w, BertEncoder encoder, List<Parameter> parameters, AdamW adam, NDManager manager,
      BertConfig config) {
    long started = System.nanoTime();
    try (NDManager scratch = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(scratch, false);
      if (!w.training()) {
        long[] bl = w.batches().get(0);
        encoder.forward(ps, tokens(scratch, bl[0], bl[1], config), false).head().getFloat(0, 0, 0);
        return (System.nanoTime() - started) / 1e9;
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        List<NDArray> cls = new ArrayList<>();
        for (long[] bl : w.batches()) {
          cls.add(encoder.forward(ps, tokens(scratch, bl[0], bl[1], config), true).head().get(":, 0, :"));
        }
        NDArray scores = cls.size() == 1
            ? cls.get(0).get(":, 0").reshape(QUERIES, PASSAGES)
            : cls.get(0).matMul(cls.get(1).transpose()).get(":, 0:" + PASSAGES);
        NDArray loss = scores.logSoftmax(1).get(":, 0").neg().mean();
        collector.backward(loss);
      }
      adam.step(1e-5f);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  /**
   * One {@link #GEMM} product in {@code p}; the operands are cast before the clock starts (kernel speed only).
   * int8: {@code x Wᵀ} with W {@code [1536, 384]}, quantising and packing included.
   */
  private static double gemm(MatrixPrecision p, NDManager manager) {
    if (p != MatrixPrecision.INT8) {
      return MatrixPrecision.productSeconds(p, manager, GEMM);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = scratch.randomNormal(new Shape(GEMM[0], GEMM[1]));
      NDArray w = scratch.randomNormal(new Shape(GEMM[2], GEMM[1]));
      NDArray bias = scratch.zeros(new Shape(GEMM[2]));
      long t = System.nanoTime();
      p.linear(x, w, bias).close();
      return (System.nanoTime() - t) / 1e9;
    }
  }

  private static NDList tokens(NDManager m, long batch, long length, BertConfig config) {
    NDArray ids = m.randomInteger(1000, config.vocabSize(), new Shape(batch, length), DataType.INT64);
    return new NDList(ids, m.ones(new Shape(batch, length), DataType.INT64), m.zeros(new Shape(batch, length), DataType.INT64));
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double cpuMhz() throws IOException {
    return cpuinfoField("cpu MHz").map(Double::parseDouble).orElse(Double.NaN);
  }

  private static String cpuModel() throws IOException {
    return cpuinfoField("model name").orElse("unknown CPU") + " (family " + cpuinfoField("cpu family").orElse("?")
        + " model " + cpuinfoField("model").orElse("?") + ")";
  }

  private static java.util.Optional<String> cpuinfoField(String name) throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return java.util.Optional.empty();
    }
    try (var lines = Files.lines(cpuinfo)) {
      return lines.filter(l -> l.startsWith(name) && l.substring(0, l.indexOf(':')).trim().equals(name)).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }
  }
}

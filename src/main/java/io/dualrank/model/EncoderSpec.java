package io.dualrank.model;

/**
 * Where a new model's encoder comes from: a {@link PretrainedEncoder} id (weights and tokenizer from its
 * jar), a local Hugging Face BERT directory ({@link HuggingFaceModel}: its body and tokenizer), or {@code
 * random:LAYERSxHIDDENxHEADS} (random weights of that shape, MiniLM's word-piece vocabulary)
 * for small fast models.
 *
 * @param init the value recorded as {@link RankerConfig#init()}: the pre-trained id or {@code random}
 * @param tokenizer the pre-trained id whose tokenizer the model uses
 * @param encoder the encoder's shape
 */
public record EncoderSpec(String init, String tokenizer, BertConfig encoder) {
  private static final String RANDOM = RankerConfig.RANDOM_INIT + ":";

  /** Parses {@code all-minilm-l6-v2}, {@code bge-small-en-v15}, {@code e5-small-v2}, a directory or {@code random:2x64x2}. */
  public static EncoderSpec parse(String spec) {
    if (PretrainedEncoder.find(spec).isPresent()) {
      return new EncoderSpec(spec, spec, PretrainedEncoder.byId(spec).config());
    }
    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(spec))) {
      try {
        HuggingFaceModel hf = HuggingFaceModel.read(java.nio.file.Path.of(spec));
        return new EncoderSpec(hf.dir().toString(), hf.dir().toString(), hf.encoder());
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    String[] p = spec.startsWith(RANDOM) ? spec.substring(RANDOM.length()).split("x") : new String[0];
    try {
      if (p.length == 3) {
        PretrainedEncoder vocabulary = PretrainedEncoder.ALL_MINILM_L6_V2;
        return new EncoderSpec(RankerConfig.RANDOM_INIT, vocabulary.id(), BertConfig.of(
            vocabulary.config().vocabSize(), Integer.parseInt(p[1]), Integer.parseInt(p[0]), Integer.parseInt(p[2])));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("encoder '" + spec + "': expected a pre-trained id " + java.util.Arrays.toString(
        PretrainedEncoder.values()) + ", a Hugging Face BERT directory, or random:LAYERSxHIDDENxHEADS, e.g. random:2x64x2");
  }

  /** A cross-encoder over this encoder (see {@link RankerConfig#crossEncoder}). */
  public RankerConfig crossEncoder(int maxQueryLength, int maxLength, Pooling pooling) {
    return RankerConfig.crossEncoder(init, tokenizer, encoder, maxQueryLength, maxLength, pooling);
  }

  /** A dual encoder over this encoder (see {@link RankerConfig} for the parameters). */
  public RankerConfig dualEncoder(int maxQueryLength, int maxLength, Pooling pooling, boolean sharedTowers,
      int projection, boolean normalize, float temperature, boolean learnTemperature) {
    return new RankerConfig(Architecture.DUAL_ENCODER, init, tokenizer, encoder, maxQueryLength, maxLength, pooling,
        sharedTowers, projection, normalize, temperature, learnTemperature);
  }
}

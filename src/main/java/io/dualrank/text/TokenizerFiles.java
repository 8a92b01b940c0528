package io.dualrank.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer files of a Hugging Face BERT directory: a {@code tokenizer.json} made from a {@code vocab.txt}
 * (what transformers' {@code BertTokenizerFast} builds from it: BERT normaliser, BERT pre-tokeniser, WordPiece
 * with {@code ##} continuation and {@code [UNK]}, {@code [CLS] A [SEP] B [SEP]} template), and the files a BERT
 * model directory carries for other tools ({@code tokenizer.json}, {@code tokenizer_config.json}, {@code
 * special_tokens_map.json}, {@code vocab.txt}).
 */
public final class TokenizerFiles {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private TokenizerFiles() {}

  /**
   * A {@code tokenizer.json} for a word-piece vocabulary (one token a line, the line number is the id).
   *
   * @param lowercase {@code do_lower_case} (accents are stripped with it unless {@code stripAccents} says)
   * @param stripAccents {@code strip_accents}, or null to follow {@code lowercase}
   * @throws IllegalArgumentException if a special token of BERT is not in the vocabulary
   */
  public static byte[] fromVocab(List<String> vocab, boolean lowercase, Boolean stripAccents) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < vocab.size(); i++) {
      ids.putIfAbsent(vocab.get(i), i);
    }
    ArrayNode added = root.putArray("added_tokens");
    for (String token : SPECIAL) {
      Integer id = ids.get(token);
      if (id == null) {
        throw new IllegalArgumentException("the vocabulary has no " + token);
      }
      added.addObject().put("id", id).put("content", token).put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", false).put("special", true);
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true);
    if (stripAccents == null) {
      normalizer.putNull("strip_accents");
    } else {
      normalizer.put("strip_accents", stripAccents);
    }
    normalizer.put("lowercase", lowercase);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "BertProcessing");
    post.putArray("sep").add("[SEP]").add(ids.get("[SEP]"));
    post.putArray("cls").add("[CLS]").add(ids.get("[CLS]"));
    root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
        .put("max_input_chars_per_word", 100);
    ObjectNode vocabNode = model.putObject("vocab");
    ids.forEach(vocabNode::put);
    return JSON.writeValueAsBytes(root);
  }

  /**
   * The tokenizer files of an exported BERT directory, by file name: {@code tokenizerJson} without its fixed
   * padding and truncation (clients set their own), a {@code tokenizer_config.json} of {@code BertTokenizer}
   * with {@code model_max_length}, the special tokens, and {@code vocab.txt} in id order.
   */
  public static Map<String, byte[]> huggingFaceFiles(byte[] tokenizerJson, int modelMaxLength) throws IOException {
    ObjectNode tokenizer = (ObjectNode) JSON.readTree(tokenizerJson);
    tokenizer.putNull("truncation");
    tokenizer.putNull("padding");
    JsonNode normalizer = tokenizer.path("normalizer");
    boolean lowercase = normalizer.path("lowercase").asBoolean(true);
    JsonNode vocab = tokenizer.path("model").path("vocab");
    List<String> tokens = new ArrayList<>(vocab.size());
    for (int i = 0; i < vocab.size(); i++) {
      tokens.add(null);
    }
    vocab.fields().forEachRemaining(e -> tokens.set(e.getValue().asInt(), e.getKey()));

    ObjectNode config = JSON.createObjectNode();
    config.put("tokenizer_class", "BertTokenizer").put("do_lower_case", lowercase)
        .put("model_max_length", modelMaxLength).put("unk_token", "[UNK]").put("sep_token", "[SEP]")
        .put("pad_token", "[PAD]").put("cls_token", "[CLS]").put("mask_token", "[MASK]");
    ObjectNode special = JSON.createObjectNode();
    special.put("unk_token", "[UNK]").put("sep_token", "[SEP]").put("pad_token", "[PAD]").put("cls_token", "[CLS]")
        .put("mask_token", "[MASK]");

    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("tokenizer.json", JSON.writeValueAsBytes(tokenizer));
    files.put("tokenizer_config.json", JSON.writeValueAsBytes(config));
    files.put("special_tokens_map.json", JSON.writeValueAsBytes(special));
    files.put("vocab.txt", (String.join("\n", tokens) + "\n").getBytes(StandardCharsets.UTF_8));
    return files;
  }
}

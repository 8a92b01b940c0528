package io.dualrank.data.fetch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The conversions of {@link Conversion}, each writing a source's files into a folder standing for the data root. */
final class Converters {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String QRELS_HEADER = "query-id\tcorpus-id\tscore\n";
  /**
   * One JSON value on one line as Python's {@code json.dumps(value, ensure_ascii=False)} writes it (how BEIR's
   * files and {@code ../shared/data} are written): {@code ", "} and {@code ": "} between items, non-ASCII
   * characters as they are, control characters escaped as Python does (lower-case hex where there is no short form).
   */
  static final ObjectWriter PYTHON_JSON = JSON.writer(new MinimalPrettyPrinter() {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }).with(new CharacterEscapes() {
    private final int[] escapes = standardAsciiEscapesForJSON();

    {
      for (int c = 0; c < 0x20; c++) {
        if (escapes[c] == ESCAPE_STANDARD) {
          escapes[c] = ESCAPE_CUSTOM; // Jackson's own hex is upper-case
        }
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
      return c < 0x20 ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", c)) : null;
    }
  });

  private Converters() {}

  /** Unpacks a zip archive; an entry that would land outside {@code out} (zip slip) is an error. */
  static void unzip(List<Path> downloads, Path out) throws IOException {
    Path base = out.toAbsolutePath().normalize();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(downloads.get(0)))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Path target = base.resolve(e.getName()).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
          throw new IOException(downloads.get(0) + ": an archive entry inside the data root, found '" + e.getName()
              + "'");
        }
        if (e.isDirectory() || e.getName().startsWith("__MACOSX/")) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
      }
    }
  }

  /**
   * SQuAD v1.1 (downloads: train, dev) as passage ranking in BEIR's layout under {@code squad/}: each
   * paragraph a document {@code sq-SPLIT-ARTICLE-PARAGRAPH} (title = the article's, underscores as spaces),
   * each question a query {@code DOCUMENT-qN} judged relevant (1) to its paragraph only, with its distinct
   * answer texts and article in {@code metadata}; dev is the test split.
   */
  static void squad(List<Path> downloads, Path out) throws IOException {
    Path dir = out.resolve("squad");
    Files.createDirectories(dir.resolve("qrels"));
    try (Writer corpus = Files.newBufferedWriter(dir.resolve("corpus.jsonl"));
        Writer queries = Files.newBufferedWriter(dir.resolve("queries.jsonl"))) {
      String[] splits = {"train", "dev"};
      for (int s = 0; s < splits.length; s++) {
        JsonNode data = JSON.readTree(downloads.get(s).toFile()).path("data");
        if (!data.isArray()) {
          throw new IOException(downloads.get(s) + ": SQuAD JSON with a top-level \"data\" list");
        }
        try (Writer qrels = Files.newBufferedWriter(dir.resolve("qrels").resolve(s == 0 ? "train.tsv" : "test.tsv"))) {
          qrels.write(QRELS_HEADER);
          for (int a = 0; a < data.size(); a++) {
            String title = data.get(a).path("title").asText().replace('_', ' ');
            JsonNode paragraphs = data.get(a).path("paragraphs");
            for (int p = 0; p < paragraphs.size(); p++) {
              String doc = "sq-" + splits[s] + "-" + a + "-" + p;
              ObjectNode d = JSON.createObjectNode().put("_id", doc).put("title", title)
                  .put("text", paragraphs.get(p).path("context").asText());
              corpus.write(JSON.writeValueAsString(d) + "\n");
              JsonNode qas = paragraphs.get(p).path("qas");
              for (int q = 0; q < qas.size(); q++) {
                String qid = doc + "-q" + q;
                Set<String> answers = new LinkedHashSet<>();
                qas.get(q).path("answers").forEach(x -> answers.add(x.path("text").asText()));
                ObjectNode query = JSON.createObjectNode().put("_id", qid).put("text", qas.get(q).path("question").asText());
                ObjectNode metadata = query.putObject("metadata");
                answers.forEach(metadata.putArray("answers")::add);
                metadata.put("article", title);
                queries.write(JSON.writeValueAsString(query) + "\n");
                qrels.write(qid + "\t" + doc + "\t1\n");
              }
            }
          }
        }
      }
    }
  }

  /**
   * Natural Questions with QED's gold paragraphs (downloads: the train files, then the dev file, JSON Lines
   * of QED records) in BEIR's layout under {@code nq/}, as {@code ../shared/data/nq} is: each record a query
   * {@code nq-EXAMPLE_ID} (its {@code question_text}) judged relevant (1) to its {@code paragraph_text} only;
   * the paragraphs pooled over both splits, records with the same paragraph text sharing one document (titled
   * as where it first appears), numbered in order of first appearance {@code nq-SPLIT-pN} (N counting over
   * both splits, SPLIT {@code train} or {@code dev} where it first appears); {@code metadata.answers} the
   * strings of the spans of {@code original_nq_answers}, in order, repeats kept (none when a record has no
   * such field, as QED's 2020 train shards have not); dev is the test split. Lines as {@link #PYTHON_JSON}.
   */
  static void nq(List<Path> downloads, Path out) throws IOException {
    Path dir = out.resolve("nq");
    Files.createDirectories(dir.resolve("qrels"));
    Map<String, String> documents = new HashMap<>();
    Set<String> queries = new HashSet<>();
    try (Writer corpus = Files.newBufferedWriter(dir.resolve("corpus.jsonl"));
        Writer queryLines = Files.newBufferedWriter(dir.resolve("queries.jsonl"))) {
      for (String split : new String[] {"train", "dev"}) {
        List<Path> files = split.equals("train") ? downloads.subList(0, downloads.size() - 1)
            : downloads.subList(downloads.size() - 1, downloads.size());
        try (Writer qrels = Files.newBufferedWriter(dir.resolve("qrels").resolve(split.equals("train") ? "train.tsv"
            : "test.tsv"))) {
          qrels.write(QRELS_HEADER);
          for (Path file : files) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
              int line = 0;
              for (String text; (text = r.readLine()) != null; ) {
                line++;
                if (text.isBlank()) {
                  continue;
                }
                String where = file + ":" + line;
                JsonNode record = qedRecord(text, where);
                String qid = "nq-" + record.get("example_id").asText();
                if (!queries.add(qid)) {
                  throw new IOException(where + ": example_id " + record.get("example_id").asText()
                      + " a second time; each QED record is one question");
                }
                String paragraph = record.get("paragraph_text").asText();
                String doc = documents.get(paragraph);
                if (doc == null) {
                  doc = "nq-" + split + "-p" + documents.size();
                  documents.put(paragraph, doc);
                  ObjectNode d = JSON.createObjectNode().put("_id", doc)
                      .put("title", record.get("title_text").asText()).put("text", paragraph);
                  corpus.write(PYTHON_JSON.writeValueAsString(d) + "\n");
                }
                ObjectNode query = JSON.createObjectNode().put("_id", qid)
                    .put("text", record.get("question_text").asText());
                ArrayNode answers = query.putObject("metadata").putArray("answers");
                record.path("original_nq_answers")
                    .forEach(a -> a.forEach(span -> answers.add(span.get("string").asText())));
                queryLines.write(PYTHON_JSON.writeValueAsString(query) + "\n");
                qrels.write(qid + "\t" + doc + "\t1\n");
              }
            }
          }
        }
      }
    }
  }

  /**
   * One QED record: an object with an integer {@code example_id}, strings {@code question_text},
   * {@code paragraph_text}, {@code title_text}, and, if present, {@code original_nq_answers} a list of answers,
   * each a list of spans with a string {@code string}.
   */
  private static JsonNode qedRecord(String text, String where) throws IOException {
    JsonNode record;
    try {
      record = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(where + ": a QED record (one JSON object a line), found malformed JSON: "
          + e.getOriginalMessage());
    }
    if (record == null || !record.isObject()) {
      throw new IOException(where + ": a QED record (one JSON object a line), found " + text.strip());
    }
    if (!record.path("example_id").isIntegralNumber()) {
      throw new IOException(where + ": field example_id, an integer, found " + record.get("example_id"));
    }
    for (String field : new String[] {"question_text", "paragraph_text", "title_text"}) {
      if (!record.path(field).isTextual()) {
        throw new IOException(where + ": field " + field + ", a string, found " + record.get(field));
      }
    }
    JsonNode answers = record.get("original_nq_answers");
    if (answers != null) {
      boolean spans = answers.isArray();
      for (JsonNode a : answers) {
        spans &= a.isArray();
        for (JsonNode span : a) {
          spans &= span.path("string").isTextual();
        }
      }
      if (!spans) {
        throw new IOException(where + ": field original_nq_answers, a list of answers, each a list of spans"
            + " {\"start\", \"end\", \"string\"}, found " + answers);
      }
    }
    return record;
  }

  /**
   * TREC DL (downloads: qrels 2019, 2020, 2021, then topics 2019, 2020, 2021, gzipped or not) into
   * {@code msmarco-dl/}: the qrels as {@code qrels.dlYY.txt}, unchanged, and {@code queries.tsv} with the
   * judged queries only ({@code qid \t text}, in topic-file order).
   */
  static void trecDl(List<Path> downloads, Path out) throws IOException {
    Path dir = out.resolve("msmarco-dl");
    Files.createDirectories(dir);
    Set<String> judged = new HashSet<>();
    String[] years = {"19", "20", "21"};
    for (int i = 0; i < 3; i++) {
      Path qrels = dir.resolve("qrels.dl" + years[i] + ".txt");
      Files.copy(downloads.get(i), qrels);
      for (String line : Files.readAllLines(qrels, StandardCharsets.UTF_8)) {
        String[] cols = line.strip().split("\\s+");
        if (cols.length >= 4) {
          judged.add(cols[0]);
        }
      }
    }
    List<String> kept = new ArrayList<>();
    for (Path topics : downloads.subList(3, 6)) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(open(topics), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          int tab = line.indexOf('\t');
          if (tab > 0 && judged.contains(line.substring(0, tab))) {
            kept.add(line);
          }
        }
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("queries.tsv"))) {
      for (String line : kept) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }
}

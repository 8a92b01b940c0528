package io.dualrank.data.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The conversions of {@link Conversion}, each writing a source's files into a folder standing for the data root. */
final class Converters {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String QRELS_HEADER = "query-id\tcorpus-id\tscore\n";

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

package io.dualrank.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.data.Document;
import io.dualrank.data.InputFormatException;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.util.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The minimal corpus and query readers and run writer that the dense commands need, for the two dataset
 * layouts: BEIR JSON lines ({@code {"_id", "title", "text"}}) when the file name ends in {@code .jsonl},
 * otherwise MS MARCO TSV ({@code id \t text}, no title).
 *
 * <p>TODO(data-eval): replace with the dataset readers and run writer of {@code io.dualrank.data}.
 */
public final class InputFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputFiles() {}

  /** The documents of a corpus file, lazily, in file order; close the stream. */
  public static Stream<Document> corpus(Path file) {
    try {
      return records(file, true).map(r -> new Document(r[0], r[1], r[2]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The queries of a query file, in file order. */
  public static List<Query> queries(Path file) throws IOException {
    try (Stream<String[]> records = records(file, false)) {
      return records.map(r -> new Query(r[0], r[2])).toList();
    }
  }

  /** {id, title, text} per non-empty line. */
  private static Stream<String[]> records(Path file, boolean titled) throws IOException {
    boolean jsonl = file.getFileName().toString().endsWith(".jsonl");
    long[] line = {0};
    return Files.lines(file, StandardCharsets.UTF_8)
        .map(text -> {
          line[0]++;
          return jsonl ? json(file, line[0], text, titled) : tsv(file, line[0], text);
        })
        .filter(r -> r != null);
  }

  private static String[] json(Path file, long line, String text, boolean titled) {
    if (text.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(text);
      JsonNode id = node.get("_id");
      JsonNode body = node.get("text");
      if (id == null || body == null || !body.isTextual()) {
        throw new InputFormatException(file, line, "a JSON object with \"_id\" and \"text\"");
      }
      JsonNode title = node.get("title");
      return new String[] {id.asText(), titled && title != null ? title.asText() : "", body.asText()};
    } catch (IOException e) {
      throw new InputFormatException(file, line, "a JSON object with \"_id\" and \"text\"", e);
    }
  }

  private static String[] tsv(Path file, long line, String text) {
    if (text.isEmpty()) {
      return null;
    }
    int tab = text.indexOf('\t');
    if (tab <= 0) {
      throw new InputFormatException(file, line, "id<TAB>text");
    }
    return new String[] {text.substring(0, tab), "", text.substring(tab + 1)};
  }

  /** Writes a run in TREC format ({@code qid Q0 docid rank score tag}, scores in full precision), atomically. */
  public static void writeRun(Run run, Path file) throws IOException {
    AtomicFiles.writeFile(file, tmp -> {
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (String qid : run.queryIds()) {
          List<ScoredDoc> ranking = run.ranking(qid);
          for (int i = 0; i < ranking.size(); i++) {
            ScoredDoc d = ranking.get(i);
            out.write(qid + " Q0 " + d.docId() + " " + (i + 1) + " " + d.score() + " " + run.tag() + "\n");
          }
        }
      }
    });
  }
}

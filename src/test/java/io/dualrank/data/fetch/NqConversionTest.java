package io.dualrank.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualrank.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Conversion#NQ} against the project's {@code ../shared/data/nq}: QED records rebuilt from its lines (and
 * seven real QED records in their place) convert back to the same bytes; and its errors on malformed records.
 */
class NqConversionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FILES = {"corpus.jsonl", "queries.jsonl", "qrels/train.tsv", "qrels/test.tsv"};
  @TempDir Path tmp;

  /**
   * Every query of the shared nq, in file order, becomes a QED record (train: the 2020 shard format, no
   * answers; test: nested answer spans) holding its question and its judged paragraph's title and text; seven
   * of them are replaced by the real QED lines they stand for (src/test/resources/qed). Converting these must
   * give the four files byte for byte: the document numbering, the pooling of shared paragraphs (within train
   * and across the splits), the answers and the JSON formatting.
   */
  @Test
  void qedRecordsRebuiltFromTheSharedNqConvertBackToItsExactBytes() throws Exception {
    Path nq = SharedData.root().resolve("nq");
    assumeTrue(Files.isDirectory(nq), "no nq under the shared data root: skipped");
    Map<String, JsonNode> documents = new HashMap<>();
    for (String line : Files.readAllLines(nq.resolve("corpus.jsonl"))) {
      JsonNode d = JSON.readTree(line);
      documents.put(d.get("_id").asText(), d);
    }
    Map<String, JsonNode> queries = new HashMap<>();
    for (String line : Files.readAllLines(nq.resolve("queries.jsonl"))) {
      JsonNode q = JSON.readTree(line);
      queries.put(q.get("_id").asText(), q);
    }
    Map<Long, String> real = new HashMap<>();
    for (String split : new String[] {"train", "dev"}) {
      for (String line : Files.readAllLines(Path.of("src/test/resources/qed/" + split + "-records.jsonlines"))) {
        real.put(JSON.readTree(line).get("example_id").asLong(), line);
      }
    }
    List<String> train = records(nq.resolve("qrels/train.tsv"), documents, queries, real, false);
    List<String> dev = records(nq.resolve("qrels/test.tsv"), documents, queries, real, true);
    assertEquals(List.of(), List.copyOf(real.keySet()), "every real record found its line in the shared nq");
    List<Path> downloads = new ArrayList<>();
    int shard = (train.size() + 5) / 6;
    for (int i = 0; i < 6; i++) {
      downloads.add(write("nq-train-0" + i + "-qed.jsonlines",
          train.subList(Math.min(train.size(), i * shard), Math.min(train.size(), (i + 1) * shard))));
    }
    downloads.add(write("qed-dev.jsonlines", dev));
    Path out = tmp.resolve("out");

    Conversion.NQ.convert(downloads, out);

    for (String f : FILES) {
      assertArrayEquals(Files.readAllBytes(nq.resolve(f)), Files.readAllBytes(out.resolve("nq").resolve(f)), f);
    }
  }

  /** One QED line per judgment of {@code qrels} (one per query), or the real QED line for that example. */
  private static List<String> records(Path qrels, Map<String, JsonNode> documents, Map<String, JsonNode> queries,
      Map<Long, String> real, boolean withAnswers) throws IOException {
    List<String> lines = new ArrayList<>();
    List<String> judgments = Files.readAllLines(qrels);
    for (String judgment : judgments.subList(1, judgments.size())) {
      String[] cols = judgment.split("\t");
      long exampleId = Long.parseLong(cols[0].substring("nq-".length()));
      String line = real.remove(exampleId);
      if (line == null) {
        JsonNode doc = documents.get(cols[1]);
        ObjectNode r = JSON.createObjectNode().put("example_id", exampleId)
            .put("title_text", doc.get("title").asText())
            .put("question_text", queries.get(cols[0]).get("text").asText())
            .put("paragraph_text", doc.get("text").asText());
        if (withAnswers) {
          ArrayNode answers = r.putArray("original_nq_answers");
          queries.get(cols[0]).get("metadata").get("answers").forEach(a -> answers.addArray().addObject()
              .put("start", 0).put("end", a.asText().length()).put("string", a.asText()));
        }
        line = JSON.writeValueAsString(r);
      }
      lines.add(line);
    }
    return lines;
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aMalformedRecordIsAnErrorNamingTheFileTheLineAndTheField() throws Exception {
    String good = "{\"example_id\": 1, \"title_text\": \"T\", \"question_text\": \"q\", \"paragraph_text\": \"p\"}";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"example_id\": \"1\", \"title_text\": \"T\", \"question_text\": \"q\", \"paragraph_text\": \"p\"}",
        ":2: field example_id, an integer, found \"1\"");
    cases.put("{\"example_id\": 2, \"title_text\": \"T\", \"question_text\": \"q\"}",
        ":2: field paragraph_text, a string, found null");
    cases.put("{\"example_id\": 2, \"title_text\": \"T\", \"question_text\": \"q\", \"paragraph_text\": \"p\","
        + " \"original_nq_answers\": [{\"string\": \"a\"}]}", ":2: field original_nq_answers, a list of answers,"
        + " each a list of spans {\"start\", \"end\", \"string\"}, found [{\"string\":\"a\"}]");
    cases.put("{\"example_id\": 2, ", ":2: a QED record (one JSON object a line), found malformed JSON");
    cases.put("[1]", ":2: a QED record (one JSON object a line), found [1]");
    cases.put(good, ":2: example_id 1 a second time; each QED record is one question");
    for (var c : cases.entrySet()) {
      Path dev = write("qed-dev.jsonlines", List.of(good, c.getKey()));
      List<Path> downloads = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        downloads.add(write("nq-train-0" + i + "-qed.jsonlines", List.of()));
      }
      downloads.add(dev);
      Path out = tmp.resolve("out-" + cases.keySet().stream().toList().indexOf(c.getKey()));
      IOException e = assertThrows(IOException.class, () -> Conversion.NQ.convert(downloads, out), c.getKey());
      assertTrue(e.getMessage().startsWith(dev + c.getValue()), e.getMessage());
    }
  }
}

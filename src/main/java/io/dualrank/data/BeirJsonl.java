package io.dualrank.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * BEIR's JSON-lines records, one object per line, read with Jackson's streaming parser: corpus
 * {@code {"_id", "title", "text"}} (a missing title reads as empty) and queries {@code {"_id", "text"}}.
 * Other members (e.g. {@code metadata}) are skipped; the named ones must be strings.
 */
final class BeirJsonl {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private BeirJsonl() {}

  static Document document(Line line) {
    Map<String, String> m = strings(line, Set.of("_id", "title", "text"));
    return new Document(id(line, m), m.getOrDefault("title", ""), required(line, m, "text"));
  }

  static Query query(Line line) {
    Map<String, String> m = strings(line, Set.of("_id", "text"));
    return new Query(id(line, m), required(line, m, "text"));
  }

  private static String id(Line line, Map<String, String> m) {
    return line.id(required(line, m, "_id"), "\"_id\"");
  }

  private static String required(Line line, Map<String, String> m, String name) {
    String v = m.get(name);
    if (v == null) {
      throw line.error("a JSON object with a string member \"" + name + "\"");
    }
    return v;
  }

  /** The string members of the line's single JSON object whose names are in {@code wanted}. */
  private static Map<String, String> strings(Line line, Set<String> wanted) {
    Map<String, String> found = new HashMap<>();
    try (JsonParser p = JSON.createParser(line.text())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw line.error("a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!wanted.contains(name)) {
          p.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          found.put(name, p.getText());
        } else {
          throw line.error("a string for \"" + name + "\", found " + value);
        }
      }
      if (p.nextToken() != null) {
        throw line.error("one JSON object per line, found more after it");
      }
    } catch (JsonProcessingException e) {
      throw new InputFormatException(line.file(), line.number(), "valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }
}

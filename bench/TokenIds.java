import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.text.WordPieceTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints dualrank's word-piece ids ({@link WordPieceTokenizer#wordPieceIds}: no special tokens, untruncated) of
 * each text, for bench/hf-js-client-check.mjs to compare with another tokenizer's:
 *
 * <pre>java -cp "target/dualrank.jar:target/lib/*" bench/TokenIds.java TOKENIZER_JSON &lt; texts.jsonl</pre>
 *
 * Input: one JSON string per line. Output: one JSON array of ids per line, in the same order.
 */
public final class TokenIds {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TokenIds TOKENIZER_JSON < texts.jsonl (one JSON string a line)");
    }
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int number = 0;
    for (String line; (line = in.readLine()) != null; ) {
      number++;
      Object text = json.readValue(line, Object.class);
      if (!(text instanceof String s)) {
        throw new IllegalArgumentException("standard input, line " + number + ": expected a JSON string");
      }
      texts.add(s);
    }
    try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(Path.of(args[0]))) {
      for (int[] ids : tokenizer.wordPieceIds(texts)) {
        System.out.println(json.writeValueAsString(ids));
      }
    }
  }
}

package io.dualrank.data;

import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Writes {@link Qrels} in the TREC layout, {@code qid 0 docid grade}. Atomic. */
public final class TrecQrelsWriter {
  private TrecQrelsWriter() {}

  public static void write(Qrels qrels, Path file) throws IOException {
    AtomicFiles.writeText(file, out -> {
      for (String qid : qrels.queryIds()) {
        for (var j : qrels.judgments(qid).entrySet()) {
          out.write(qid + " 0 " + j.getKey() + " " + j.getValue() + "\n");
        }
      }
    });
  }
}

package io.dualrank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A toy dataset for tests that need a whole one on disk: six queries, each about the word of its own passage
 * (q0-q3 train, q4-q5 test), every passage a candidate of every query, and a definition of it.
 */
public final class ToyDataset {
  private static final String[] WORDS = {"volcano", "piano", "glacier", "tulip", "comet", "falcon"};

  private ToyDataset() {}

  /** Writes the data files under {@code root/toy/}; returns {@code root}. */
  public static Path writeData(Path root) throws IOException {
    Files.createDirectories(root.resolve("toy"));
    StringBuilder docs = new StringBuilder();
    StringBuilder queries = new StringBuilder();
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    StringBuilder runs = new StringBuilder();
    for (int i = 0; i < WORDS.length; i++) {
      docs.append("p").append(i).append("\ta short text on the ").append(WORDS[i]).append('\n');
      queries.append("q").append(i).append("\ttell me about the ").append(WORDS[i]).append('\n');
      (i < 4 ? train : test).append("q").append(i).append(" 0 p").append(i).append(" 1\n");
      for (int j = 0; j < WORDS.length; j++) {
        runs.append("q").append(i).append(" Q0 p").append(j).append(' ').append(j + 1).append(' ').append(-j)
            .append(" bm25\n");
      }
    }
    Files.writeString(root.resolve("toy/collection.tsv"), docs);
    Files.writeString(root.resolve("toy/queries.tsv"), queries);
    Files.writeString(root.resolve("toy/qrels.train.txt"), train);
    Files.writeString(root.resolve("toy/qrels.test.txt"), test);
    Files.writeString(root.resolve("toy/run.trec"), runs);
    return root;
  }

  /** Writes the definition {@code file} (named toy.yaml, its dataset is "toy"); returns it. */
  public static Path writeDefinition(Path file) throws IOException {
    return Files.writeString(file, """
        corpus: toy/collection.tsv
        queries: toy/queries.tsv
        splits:
          train: {qrels: [toy/qrels.train.txt], candidates: [toy/run.trec]}
          test: {qrels: [toy/qrels.test.txt], candidates: [toy/run.trec]}
        """);
  }
}

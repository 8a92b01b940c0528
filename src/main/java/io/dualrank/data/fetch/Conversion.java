package io.dualrank.data.fetch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How a source's downloaded files become the layout of its dataset definition. */
public enum Conversion {
  /** A zip archive already in the layout (BEIR's): its entries, relative to the data root. */
  UNZIP(Converters::unzip),
  /** SQuAD v1.1's train and dev JSON into a BEIR layout: one document per paragraph, one query per question. */
  SQUAD(Converters::squad),
  /** QED's Natural Questions records (train files, then dev) into a BEIR layout: pooled paragraphs, one query each. */
  NQ(Converters::nq),
  /** The TREC DL qrels copied as they are, and the judged queries of the topic files as one queries.tsv. */
  TREC_DL(Converters::trecDl);

  /** Writes a source's files into {@code out} (a fresh folder standing for the data root) from its downloads. */
  @FunctionalInterface
  interface Converter {
    void convert(List<Path> downloads, Path out) throws IOException;
  }

  private final Converter converter;

  Conversion(Converter converter) {
    this.converter = converter;
  }

  void convert(List<Path> downloads, Path out) throws IOException {
    converter.convert(downloads, out);
  }
}

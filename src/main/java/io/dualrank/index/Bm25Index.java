package io.dualrank.index;

import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/**
 * A Lucene BM25 index of a corpus: one Lucene document per corpus document, with the stored id, the
 * analysed title, the analysed body and their concatenation ({@code contents}). Analysis is Lucene's
 * {@link EnglishAnalyzer} (standard tokenizer, lower-casing, English stop words, Porter stemmer), as in
 * Anserini's default English analyzer.
 *
 * <p>Scoring is {@link BM25Similarity}: for a query of terms q_i,
 * {@code score(d) = Σ_i idf(q_i) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl))} with Lucene's
 * {@code idf = ln(1 + (N − df + 0.5)/(df + 0.5))} (Lucene omits the constant (k1+1), which does not change
 * rankings). A query is the bag of its analysed terms (every occurrence a SHOULD clause, so repeated terms
 * count twice, as in Anserini's bag-of-words query).
 *
 * <p>Two query modes: {@code flat} searches {@code contents}; {@code multifield} sums the title and body
 * fields' scores (Anserini's BEIR "multifield" runs).
 */
public final class Bm25Index implements AutoCloseable {
  static final String ID = "id";
  static final String TITLE = "title";
  static final String BODY = "body";
  static final String CONTENTS = "contents";
  private static final String META = "dualrank-bm25.properties";

  /** Which fields a query searches. */
  public enum Fields {
    FLAT,
    MULTIFIELD
  }

  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer = new EnglishAnalyzer();

  private Bm25Index(DirectoryReader reader, float k1, float b) {
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(new BM25Similarity(k1, b));
  }

  /**
   * Indexes documents into {@code dir}. The index is written to a sibling temporary directory and moved
   * into place only when complete, so {@code dir} never holds a partial index.
   *
   * @return the number of documents indexed
   */
  public static long build(Stream<Document> documents, Path dir, Progress progress)
      throws IOException {
    long[] count = {0};
    AtomicFiles.writeDirectory(dir, tmp -> {
      IndexWriterConfig cfg = new IndexWriterConfig(new EnglishAnalyzer());
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      cfg.setRAMBufferSizeMB(256);
      try (FSDirectory fsd = FSDirectory.open(tmp); IndexWriter w = new IndexWriter(fsd, cfg)) {
        documents.forEach(d -> {
          org.apache.lucene.document.Document ld = new org.apache.lucene.document.Document();
          ld.add(new StringField(ID, d.id(), Field.Store.YES));
          ld.add(new TextField(TITLE, d.title(), Field.Store.NO));
          ld.add(new TextField(BODY, d.text(), Field.Store.NO));
          ld.add(new TextField(CONTENTS, d.fullText(), Field.Store.NO));
          try {
            w.addDocument(ld);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          progress.advance(++count[0]);
        });
        w.forceMerge(1);
      }
      Properties meta = new Properties();
      meta.setProperty("documents", Long.toString(count[0]));
      meta.setProperty("analyzer", "lucene-english");
      try (var out = Files.newBufferedWriter(tmp.resolve(META))) {
        meta.store(out, "dualrank BM25 index");
      }
    });
    return count[0];
  }

  /** Opens an index built by {@link #build} with BM25 parameters k1 and b. */
  public static Bm25Index open(Path dir, float k1, float b) throws IOException {
    if (!Files.isRegularFile(dir.resolve(META))) {
      throw new IOException(dir + ": not a dualrank BM25 index (no " + META + "); build it with `dualrank bm25 index`");
    }
    return new Bm25Index(DirectoryReader.open(FSDirectory.open(dir)), k1, b);
  }

  public int numDocs() {
    return reader.numDocs();
  }

  /** The analysed terms of a text, in order, repeats kept. */
  List<String> analyze(String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(CONTENTS, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }

  private org.apache.lucene.search.Query bagOfWords(String text, Fields fields) {
    List<String> terms = analyze(text);
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    List<String> searched = fields == Fields.FLAT ? List.of(CONTENTS) : List.of(TITLE, BODY);
    for (String field : searched) {
      for (String t : terms) {
        q.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
      }
    }
    return q.build();
  }

  /** The top {@code k} documents of one query, best first (empty when no query term is in the index). */
  public Map<String, Float> search(String text, int k, Fields fields) throws IOException {
    Map<String, Float> hits = new LinkedHashMap<>();
    var q = bagOfWords(text, fields);
    for (ScoreDoc sd : searcher.search(q, k).scoreDocs) {
      hits.put(searcher.storedFields().document(sd.doc).get(ID), sd.score);
    }
    return hits;
  }

  /** Searches every query (on {@code threads} threads) and returns the top {@code k} of each as a run. */
  public Run search(List<Query> queries, int k, Fields fields, int threads, String tag, Progress progress)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<Map<String, Float>>> futures = new ArrayList<>();
      for (Query query : queries) {
        futures.add(pool.submit(() -> search(query.text(), k, fields)));
      }
      Run.Builder run = new Run.Builder(tag);
      for (int i = 0; i < queries.size(); i++) {
        String qid = queries.get(i).id();
        futures.get(i).get().forEach((doc, score) -> run.add(qid, doc, score));
        progress.advance(i + 1);
      }
      return run.build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("BM25 search interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  static {
    BooleanQuery.setMaxClauseCount(Math.max(BooleanQuery.getMaxClauseCount(), 65536));
  }
}

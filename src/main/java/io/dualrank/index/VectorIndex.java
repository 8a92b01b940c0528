package io.dualrank.index;

import io.dualrank.data.Document;
import io.dualrank.data.ScoredDoc;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * A Lucene index of document embeddings for dense retrieval. One Lucene document per corpus document: the
 * embedding in a {@link KnnFloatVectorField} (an HNSW graph with {@code m} neighbours per node, built with a
 * candidate beam of {@code beamWidth}), the document id (indexed, and as doc values for fast lookup of hits)
 * and the stored title and text, so that the index alone can show results and feed a re-ranker. The
 * directory also holds {@value #META}, which records the {@link Info}.
 *
 * <p>Similarity: {@code DOT_PRODUCT} for encoders whose embeddings have unit norm (Lucene requires it; this
 * class checks it), {@code MAXIMUM_INNER_PRODUCT} otherwise. Lucene turns inner products into positive
 * scores ({@code (1 + dot)/2} for DOT_PRODUCT; {@code dot + 1}, or {@code 1/(1 − dot)} when dot &lt; 0, for
 * MAXIMUM_INNER_PRODUCT); {@link #search} maps them back, so its scores are the raw inner products, equal to
 * {@link ExactSearch}'s up to float rounding (about 1e-7 relative).
 */
public final class VectorIndex implements VectorSearch {
  /** Name of the metadata file in the index directory. */
  public static final String META = "dualrank-vectors.properties";
  static final String ID = "id";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String VECTOR = "vector";
  /** Enough to build up to ~600k 384-dimensional vectors in one segment: one graph, nothing to merge. */
  private static final double RAM_BUFFER_MB = 1024;
  private static final double UNIT_NORM_TOLERANCE = 1e-3;
  private static final int PARALLEL_BATCH = 256;

  /**
   * What an index holds and how its graph is built.
   *
   * @param encoder the name of the encoder that made the embeddings (e.g. its model path)
   * @param similarity DOT_PRODUCT (unit vectors) or MAXIMUM_INNER_PRODUCT
   * @param m HNSW neighbours per node (Lucene's maxConn, 1..512; Lucene's default 16)
   * @param beamWidth HNSW candidate list size at construction (1..3200; Lucene's default 100)
   */
  public record Spec(String encoder, int dimension, VectorSimilarityFunction similarity, int m, int beamWidth) {
    public Spec {
      if (dimension < 1 || dimension > new Lucene99HnswVectorsFormat().getMaxDimensions(VECTOR)) {
        throw new IllegalArgumentException("embedding dimension " + dimension + " out of Lucene's range");
      }
      if (similarity != VectorSimilarityFunction.DOT_PRODUCT
          && similarity != VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT) {
        throw new IllegalArgumentException("similarity must be DOT_PRODUCT or MAXIMUM_INNER_PRODUCT, got " + similarity);
      }
      if (m < 1 || m > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
        throw new IllegalArgumentException("HNSW m must be in 1.." + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + ", got " + m);
      }
      if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
        throw new IllegalArgumentException(
            "HNSW beam width must be in 1.." + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + ", got " + beamWidth);
      }
    }

    /** The spec for an encoder's embeddings: DOT_PRODUCT when it is {@link DenseEncoder#normalized()}. */
    public static Spec forEncoder(String name, DenseEncoder encoder, int m, int beamWidth) {
      VectorSimilarityFunction similarity = encoder.normalized()
          ? VectorSimilarityFunction.DOT_PRODUCT
          : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      return new Spec(name, encoder.dimension(), similarity, m, beamWidth);
    }
  }

  /** The metadata of a built index: its spec and how many documents it holds. */
  public record Info(Spec spec, long documents) {
    void write(Path file) throws IOException {
      Properties p = new Properties();
      p.setProperty("encoder", spec.encoder());
      p.setProperty("dimension", Integer.toString(spec.dimension()));
      p.setProperty("similarity", spec.similarity().name());
      p.setProperty("m", Integer.toString(spec.m()));
      p.setProperty("beamWidth", Integer.toString(spec.beamWidth()));
      p.setProperty("documents", Long.toString(documents));
      try (var out = Files.newBufferedWriter(file)) {
        p.store(out, "dualrank dense vector index");
      }
    }

    static Info read(Path file) throws IOException {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      try {
        Spec spec = new Spec(p.getProperty("encoder"), Integer.parseInt(p.getProperty("dimension")),
            VectorSimilarityFunction.valueOf(p.getProperty("similarity")),
            Integer.parseInt(p.getProperty("m")), Integer.parseInt(p.getProperty("beamWidth")));
        return new Info(spec, Long.parseLong(p.getProperty("documents")));
      } catch (RuntimeException e) {
        throw new IOException(file + ": malformed index metadata (" + e.getMessage() + ")", e);
      }
    }
  }

  private final Info info;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int candidates;

  private VectorIndex(Info info, DirectoryReader reader, int candidates) {
    this.info = info;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.candidates = candidates;
  }

  /**
   * Writes documents and their embeddings into {@code dir}, then merges the index into one segment (one
   * HNSW graph). The index is built in a sibling temporary directory and moved into place only when
   * complete, so {@code dir} never holds a partial index.
   *
   * @param threads 1: documents are added in stream order, and the same input gives the same index. More:
   *     batches of documents are added from that many threads, each building its own segment's graph, and
   *     the graphs are merged by as many threads (faster; document order and graph vary from run to run)
   * @throws IllegalArgumentException when an embedding has the wrong length, or is neither unit-norm nor
   *     zero under DOT_PRODUCT
   */
  public static Info write(Path dir, Spec spec, Stream<EmbeddedDocument> documents, int threads, Progress progress)
      throws IOException {
    ExecutorService workers = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    try {
      KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(spec.m(), spec.beamWidth(), Math.max(1, threads), workers);
      IndexWriterConfig cfg = new IndexWriterConfig()
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
          .setRAMBufferSizeMB(RAM_BUFFER_MB)
          .setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              return hnsw;
            }
          });
      Info[] info = new Info[1];
      AtomicFiles.writeDirectory(dir, tmp -> {
        try (FSDirectory fsd = FSDirectory.open(tmp); IndexWriter w = new IndexWriter(fsd, cfg)) {
          long count = workers == null
              ? addInOrder(w, spec, documents, progress)
              : addInParallel(w, spec, documents, workers, threads, progress);
          w.forceMerge(1);
          info[0] = new Info(spec, count);
        }
        info[0].write(tmp.resolve(META));
      });
      return info[0];
    } finally {
      if (workers != null) {
        workers.shutdownNow();
      }
    }
  }

  private static long addInOrder(IndexWriter w, Spec spec, Stream<EmbeddedDocument> documents, Progress progress)
      throws IOException {
    long count = 0;
    for (Iterator<EmbeddedDocument> it = documents.iterator(); it.hasNext(); ) {
      w.addDocument(luceneDocument(spec, it.next()));
      progress.advance(++count);
    }
    return count;
  }

  /**
   * Adds batches of documents on {@code workers}, at most {@code 2·threads} batches at a time; stops feeding
   * at the first failure, and returns only once no batch is running.
   */
  private static long addInParallel(IndexWriter w, Spec spec, Stream<EmbeddedDocument> documents,
      ExecutorService workers, int threads, Progress progress) throws IOException {
    Semaphore slots = new Semaphore(2 * threads);
    AtomicLong added = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Iterator<EmbeddedDocument> it = documents.iterator();
    try {
      while (it.hasNext() && failure.get() == null) {
        List<org.apache.lucene.document.Document> batch = new ArrayList<>(PARALLEL_BATCH);
        while (batch.size() < PARALLEL_BATCH && it.hasNext()) {
          batch.add(luceneDocument(spec, it.next()));
        }
        slots.acquireUninterruptibly();
        workers.execute(() -> {
          try {
            w.addDocuments(batch);
            progress.advance(added.addAndGet(batch.size()));
          } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            slots.release();
          }
        });
      }
    } finally {
      slots.acquireUninterruptibly(2 * threads);
    }
    if (failure.get() instanceof IOException e) {
      throw e;
    } else if (failure.get() instanceof RuntimeException e) {
      throw e;
    }
    return added.get();
  }

  private static org.apache.lucene.document.Document luceneDocument(Spec spec, EmbeddedDocument e) {
    Document d = e.document();
    float[] v = e.vector();
    if (v.length != spec.dimension()) {
      throw new IllegalArgumentException(
          "embedding of document " + d.id() + " has length " + v.length + ", expected " + spec.dimension());
    }
    if (spec.similarity() == VectorSimilarityFunction.DOT_PRODUCT) {
      float squaredNorm = VectorUtil.dotProduct(v, v);
      if (squaredNorm != 0 && Math.abs(squaredNorm - 1) > UNIT_NORM_TOLERANCE) {
        throw new IllegalArgumentException("embedding of document " + d.id() + " has norm " + Math.sqrt(squaredNorm)
            + ": DOT_PRODUCT needs unit vectors (is the encoder really normalized?)");
      }
    }
    org.apache.lucene.document.Document ld = new org.apache.lucene.document.Document();
    ld.add(new StringField(ID, d.id(), Field.Store.NO));
    ld.add(new BinaryDocValuesField(ID, new BytesRef(d.id())));
    ld.add(new StoredField(TITLE, d.title()));
    ld.add(new StoredField(TEXT, d.text()));
    ld.add(new KnnFloatVectorField(VECTOR, v, spec.similarity()));
    return ld;
  }

  /** Opens an index written by {@link #write}, whose {@link #search(float[], int)} explores k candidates. */
  public static VectorIndex open(Path dir) throws IOException {
    return open(dir, 0);
  }

  /**
   * Opens an index written by {@link #write}, whose {@link #search(float[], int)} explores
   * {@code max(k, candidates)} candidates.
   */
  public static VectorIndex open(Path dir, int candidates) throws IOException {
    Path meta = dir.resolve(META);
    if (!Files.isRegularFile(meta)) {
      throw new IOException(dir + ": not a dualrank vector index (no " + META + "); build it with `dualrank index`");
    }
    return new VectorIndex(Info.read(meta), DirectoryReader.open(FSDirectory.open(dir)), candidates);
  }

  public Info info() {
    return info;
  }

  @Override
  public int dimension() {
    return info.spec().dimension();
  }

  @Override
  public int size() {
    return reader.numDocs();
  }

  /** HNSW search with the candidates given at {@link #open(Path, int)}; see {@link #search(float[], int, int)}. */
  @Override
  public List<ScoredDoc> search(float[] query, int k) {
    return search(query, k, candidates);
  }

  /**
   * Approximate top-k search in the HNSW graph, exploring {@code max(k, numCandidates)} candidates (more
   * candidates: higher recall, slower). Scores are raw inner products.
   */
  public List<ScoredDoc> search(float[] query, int k, int numCandidates) {
    if (query.length != dimension()) {
      throw new IllegalArgumentException("query has dimension " + query.length + ", the index " + dimension());
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(k, numCandidates)), k);
      String[] ids = ids(top.scoreDocs);
      List<ScoredDoc> hits = new ArrayList<>(ids.length);
      for (int i = 0; i < ids.length; i++) {
        hits.add(new ScoredDoc(ids[i], innerProduct(top.scoreDocs[i].score)));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Inverts Lucene's score transformation of the index's similarity. */
  private double innerProduct(float luceneScore) {
    return switch (info.spec().similarity()) {
      case DOT_PRODUCT -> 2.0 * luceneScore - 1.0;
      case MAXIMUM_INNER_PRODUCT -> luceneScore < 1 ? 1 - 1.0 / luceneScore : luceneScore - 1.0;
      default -> throw new IllegalStateException("unsupported similarity " + info.spec().similarity());
    };
  }

  /** The ids of hits, read from doc values in increasing doc order (the order doc values iterate in). */
  private String[] ids(ScoreDoc[] hits) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    Integer[] byDoc = IntStream.range(0, hits.length).boxed().toArray(Integer[]::new);
    Arrays.sort(byDoc, Comparator.comparingInt(i -> hits[i].doc));
    String[] ids = new String[hits.length];
    int leafOrd = -1;
    LeafReaderContext leaf = null;
    BinaryDocValues values = null;
    for (int i : byDoc) {
      int doc = hits[i].doc;
      int ord = ReaderUtil.subIndex(doc, leaves);
      if (ord != leafOrd) {
        leafOrd = ord;
        leaf = leaves.get(ord);
        values = leaf.reader().getBinaryDocValues(ID);
      }
      if (!values.advanceExact(doc - leaf.docBase)) {
        throw new IllegalStateException("index document " + doc + " has no id");
      }
      ids[i] = values.binaryValue().utf8ToString();
    }
    return ids;
  }

  /**
   * The stored document with this id.
   *
   * @throws IllegalArgumentException when the index has no such document
   */
  public Document document(String id) {
    try {
      TopDocs hit = searcher.search(new TermQuery(new Term(ID, id)), 1);
      if (hit.scoreDocs.length == 0) {
        throw new IllegalArgumentException("document " + id + " is not in the index");
      }
      var stored = searcher.storedFields().document(hit.scoreDocs[0].doc, Set.of(TITLE, TEXT));
      return new Document(id, stored.get(TITLE), stored.get(TEXT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An exact search over this index's embeddings, loaded into memory ({@code 4·dimension} bytes per
   * document), with {@code threads} threads per query.
   */
  public ExactSearch exactSearch(int threads) throws IOException {
    float[][] vectors = new float[reader.maxDoc()][];
    String[] ids = new String[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
      BinaryDocValues idValues = leaf.reader().getBinaryDocValues(ID);
      if (values == null) {
        continue;
      }
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        if (!idValues.advanceExact(doc)) {
          throw new IllegalStateException("index document " + (leaf.docBase + doc) + " has no id");
        }
        vectors[leaf.docBase + doc] = values.vectorValue().clone();
        ids[leaf.docBase + doc] = idValues.binaryValue().utf8ToString();
      }
    }
    return new ExactSearch(Arrays.asList(ids), vectors, dimension(), threads);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

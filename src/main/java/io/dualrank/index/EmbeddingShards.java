package io.dualrank.index;

import io.dualrank.data.Document;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.InputManifest;
import io.dualrank.util.Progress;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Map;
import java.util.TreeMap;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A corpus's embeddings on disk, in numbered shard files of {@code shardSize} documents each (the last one
 * shorter), so that encoding a large corpus can be killed and resumed: each shard is written atomically
 * (it exists completely or not at all), and {@link #encode} skips the documents of the finished shards, so
 * a killed job loses at most one shard of work. A manifest records the encoder's name, the dimension, the
 * shard size and the inputs' checksums (corpus, encoder weights: see {@link #open}); opening the directory
 * with other values fails, naming what changed, rather than mixing embeddings.
 *
 * <p>Shard format ({@code shard-NNNNNN.emb}): big-endian int magic, dimension, count; then the count
 * document ids (modified UTF-8, as {@link DataOutputStream#writeUTF}); then count × dimension floats.
 */
public final class EmbeddingShards {
  static final String MANIFEST = "manifest.properties";
  private static final int MAGIC = 0x44524531; // "DRE1"

  private final Path dir;
  private final int dimension;
  private final int shardSize;

  private EmbeddingShards(Path dir, int dimension, int shardSize) {
    this.dir = dir;
    this.dimension = dimension;
    this.shardSize = shardSize;
  }

  /**
   * Opens (creating when needed) the shards of an encoder's embeddings in {@code dir}, and removes the
   * temporary files a killed job left there.
   *
   * @param inputs what the embeddings depend on besides the encoder's name, by name: the corpus file's and the
   *     encoder weights' checksums
   * @throws IllegalArgumentException when {@code dir} holds shards made with another encoder, dimension,
   *     shard size or inputs
   */
  public static EmbeddingShards open(Path dir, String encoder, int dimension, int shardSize, Map<String, String> inputs)
      throws IOException {
    if (shardSize < 1) {
      throw new IllegalArgumentException("shard size must be positive, got " + shardSize);
    }
    Files.createDirectories(dir);
    Map<String, String> wanted = new TreeMap<>(inputs);
    wanted.put("encoder", encoder);
    wanted.put("dimension", Integer.toString(dimension));
    wanted.put("shardSize", Integer.toString(shardSize));
    InputManifest.check(dir.resolve(MANIFEST), wanted, "Delete it to encode again.");
    AtomicFiles.removeLeftovers(dir);
    return new EmbeddingShards(dir, dimension, shardSize);
  }


  private Path shard(int index) {
    return dir.resolve(String.format(Locale.ROOT, "shard-%06d.emb", index));
  }

  /** How many documents the finished shards hold. */
  public long encodedDocuments() throws IOException {
    long total = 0;
    for (int i = 0; Files.exists(shard(i)); i++) {
      try (DataInputStream in = openShard(shard(i))) {
        total += in.readInt();
      }
    }
    return total;
  }

  /**
   * Encodes the corpus documents that no finished shard holds yet (the corpus must list its documents in
   * the same order on every run), {@code batchSize} at a time, writing a shard every {@code shardSize}
   * documents. Progress counts all documents, those of earlier runs included.
   *
   * @return how many documents the shards hold afterwards
   */
  public long encode(Stream<Document> corpus, DenseEncoder encoder, int batchSize, Progress progress)
      throws IOException {
    if (encoder.dimension() != dimension) {
      throw new IllegalArgumentException("encoder dimension " + encoder.dimension() + " != shards' " + dimension);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    int next = 0;
    long done = 0;
    for (; Files.exists(shard(next)); next++) {
      try (DataInputStream in = openShard(shard(next))) {
        int count = in.readInt();
        done += count;
        if (count < shardSize) {
          return done; // a short shard is the last: the corpus is fully encoded
        }
      }
    }
    Iterator<Document> docs = corpus.skip(done).iterator();
    while (docs.hasNext()) {
      List<Document> shard = new ArrayList<>(shardSize);
      List<float[]> vectors = new ArrayList<>(shardSize);
      while (shard.size() < shardSize && docs.hasNext()) {
        List<Document> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && shard.size() + batch.size() < shardSize && docs.hasNext()) {
          batch.add(docs.next());
        }
        vectors.addAll(encodeBatch(encoder, batch));
        shard.addAll(batch);
        progress.advance(done + shard.size());
      }
      writeShard(shard(next++), shard, vectors);
      done += shard.size();
    }
    return done;
  }

  private List<float[]> encodeBatch(DenseEncoder encoder, List<Document> batch) {
    float[][] vectors = encoder.encodeDocuments(batch);
    if (vectors.length != batch.size()) {
      throw new IllegalStateException("encoder returned " + vectors.length + " embeddings for " + batch.size() + " documents");
    }
    for (float[] v : vectors) {
      if (v.length != dimension) {
        throw new IllegalStateException("encoder returned an embedding of length " + v.length + ", not " + dimension);
      }
    }
    return List.of(vectors);
  }

  private void writeShard(Path file, List<Document> docs, List<float[]> vectors) throws IOException {
    AtomicFiles.writeStream(file, raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
      out.writeInt(MAGIC);
      out.writeInt(dimension);
      out.writeInt(docs.size());
      for (Document d : docs) {
        out.writeUTF(d.id());
      }
      ByteBuffer buf = ByteBuffer.allocate(4 * dimension);
      for (float[] v : vectors) {
        buf.clear();
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
      }
      out.flush();
    });
  }

  /** Opens a shard positioned after its header's magic and dimension, at the count. */
  private DataInputStream openShard(Path file) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    try {
      if (in.readInt() != MAGIC || in.readInt() != dimension) {
        throw new IOException(file + ": not an embedding shard of dimension " + dimension);
      }
      return in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** One shard's ids and embeddings. */
  private record Shard(String[] ids, float[][] vectors) {}

  private Shard readShard(Path file) throws IOException {
    try (DataInputStream in = openShard(file)) {
      int count = in.readInt();
      String[] ids = new String[count];
      for (int i = 0; i < count; i++) {
        ids[i] = in.readUTF();
      }
      float[][] vectors = new float[count][dimension];
      byte[] bytes = new byte[4 * dimension];
      for (float[] v : vectors) {
        in.readFully(bytes);
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
      }
      return new Shard(ids, vectors);
    }
  }

  /**
   * Pairs each corpus document with its embedding, reading the shards in order. The corpus must be the one
   * that was encoded: a different id at any position, or a different number of documents, fails with an
   * {@link IllegalArgumentException}. Closing the returned stream closes the corpus stream.
   */
  public Stream<EmbeddedDocument> embedded(Stream<Document> corpus) {
    Iterator<Document> docs = corpus.iterator();
    Iterator<EmbeddedDocument> it = new Iterator<>() {
      private Shard shard = new Shard(new String[0], new float[0][]);
      private int nextShard;
      private int pos;
      private long position;

      @Override
      public boolean hasNext() {
        if (docs.hasNext()) {
          return true;
        }
        if (pos < shard.ids().length || Files.exists(shard(nextShard))) {
          throw new IllegalArgumentException(
              "the corpus has " + position + " documents, fewer than the embeddings in " + dir);
        }
        return false;
      }

      @Override
      public EmbeddedDocument next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Document d = docs.next();
        if (pos == shard.ids().length) {
          if (!Files.exists(shard(nextShard))) {
            throw new IllegalArgumentException("the embeddings in " + dir + " cover only " + position
                + " documents, the corpus has more: finish encoding first");
          }
          try {
            shard = readShard(shard(nextShard++));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          pos = 0;
        }
        if (!Objects.equals(shard.ids()[pos], d.id())) {
          throw new IllegalArgumentException("corpus document #" + (position + 1) + " is " + d.id()
              + " but the embedding there in " + dir + " is of " + shard.ids()[pos]
              + ": the corpus changed since it was encoded; delete the embeddings to re-encode");
        }
        position++;
        return new EmbeddedDocument(d, shard.vectors()[pos++]);
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
        .onClose(corpus::close);
  }
}

package io.dualrank.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.HashingEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseIndexerTest {
  private static final String[] WORDS = "dense sparse ranking model query document encoder vector index graph".split(" ");
  private static final List<Document> CORPUS = IntStream.range(0, 250)
      .mapToObj(i -> new Document("doc" + i, "", WORDS[i % 10] + " " + WORDS[i * 7 % 10] + " " + WORDS[i / 25]))
      .toList();
  private static final Map<String, String> INPUTS = Map.of("corpus c.jsonl.sha256", "1234");
  private static final DenseIndexer.Options OPTIONS = new DenseIndexer.Options(7, 40, 16, 100, 1, false);

  @TempDir Path tmp;

  /** A hashing encoder that counts the documents it encodes and dies (like a killed job) past a limit. */
  private static final class CrashingEncoder implements DenseEncoder {
    final HashingEncoder inner = new HashingEncoder(64);
    final AtomicInteger encoded = new AtomicInteger();
    final int crashAfter;

    CrashingEncoder(int crashAfter) {
      this.crashAfter = crashAfter;
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public boolean normalized() {
      return true;
    }

    @Override
    public float[][] encodeQueries(List<String> queries) {
      return inner.encodeQueries(queries);
    }

    @Override
    public float[][] encodeDocuments(List<Document> documents) {
      if (encoded.addAndGet(documents.size()) > crashAfter) {
        throw new IllegalStateException("killed");
      }
      return inner.encodeDocuments(documents);
    }

    @Override
    public void close() {}
  }

  private VectorIndex.Info build(List<Document> corpus, DenseEncoder encoder, Path index) throws IOException {
    return DenseIndexer.build(corpus::stream, corpus.size(), encoder, "hashing:64", INPUTS, index, OPTIONS, null);
  }

  @Test
  void aKilledEncodingJobResumesAfterItsLastShardAndBuildsTheSameIndex() throws IOException {
    Path index = tmp.resolve("idx");
    Path embeddings = DenseIndexer.embeddingsDir(index);
    assertThrows(IllegalStateException.class, () -> build(CORPUS, new CrashingEncoder(130), index));
    // 3 shards of 40 were finished before the crash in the 4th; no index exists yet.
    assertEquals(120, EmbeddingShards.open(embeddings, "hashing:64", 64, 40, INPUTS).encodedDocuments());
    assertTrue(Files.notExists(index));
    Files.writeString(embeddings.resolve(".shard-000003.emb.1234.tmp"), "half-written by the killed job");

    CrashingEncoder resumed = new CrashingEncoder(Integer.MAX_VALUE);
    assertEquals(250, build(CORPUS, resumed, index).documents());
    assertEquals(130, resumed.encoded.get(), "only the documents of unfinished shards are encoded again");
    assertTrue(Files.notExists(embeddings), "embeddings are removed once the index is built");

    Path reference = tmp.resolve("reference");
    build(CORPUS, new CrashingEncoder(Integer.MAX_VALUE), reference);
    HashingEncoder queries = new HashingEncoder(64);
    try (VectorIndex a = VectorIndex.open(index); VectorIndex b = VectorIndex.open(reference);
        ExactSearch exactA = a.exactSearch(1); ExactSearch exactB = b.exactSearch(1)) {
      assertEquals(a.info(), b.info());
      for (String q : List.of("dense ranking", "vector graph index", "sparse query")) {
        float[] v = queries.encode(q);
        assertEquals(exactB.search(v, 250), exactA.search(v, 250));
        assertEquals(b.search(v, 10), a.search(v, 10));
      }
      assertEquals(CORPUS.get(77), a.document("doc77"));
    }
  }

  @Test
  void resumingWithAnotherEncoderOrAChangedCorpusFails() throws IOException {
    Path index = tmp.resolve("idx");
    assertThrows(IllegalStateException.class, () -> build(CORPUS, new CrashingEncoder(50), index));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> DenseIndexer.build(
        CORPUS::stream, 0, new HashingEncoder(64), "hashing:64-retrained", INPUTS, index, OPTIONS, null));
    assertTrue(other.getMessage().contains("encoder was hashing:64, now hashing:64-retrained"), other.getMessage());
    assertTrue(other.getMessage().contains("Delete it to encode again"), other.getMessage());
    IllegalArgumentException otherFile = assertThrows(IllegalArgumentException.class, () -> DenseIndexer.build(
        CORPUS::stream, 0, new HashingEncoder(64), "hashing:64", Map.of("corpus c.jsonl.sha256", "5678"), index,
        OPTIONS, null));
    assertTrue(otherFile.getMessage().contains("corpus c.jsonl.sha256 was 1234, now 5678"), otherFile.getMessage());

    List<Document> changed = Stream.concat(CORPUS.subList(0, 10).stream(),
        Stream.concat(Stream.of(new Document("new", "", "text")), CORPUS.subList(11, 250).stream())).toList();
    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> build(changed, new CrashingEncoder(Integer.MAX_VALUE), index));
    assertTrue(mismatch.getMessage().contains("corpus document #11 is new"), mismatch.getMessage());

    IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
        () -> build(CORPUS.subList(0, 200), new CrashingEncoder(Integer.MAX_VALUE), index));
    assertTrue(shorter.getMessage().contains("fewer than the embeddings"), shorter.getMessage());
    assertTrue(Files.notExists(index));
  }
}

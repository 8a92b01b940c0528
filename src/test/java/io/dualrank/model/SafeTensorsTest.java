package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors through DJL's codec: our own files round-trip; a file laid out as Python's writer does reads right. */
class SafeTensorsTest {
  @TempDir Path dir;

  @Test
  void roundTripKeepsNamesOrderShapesAndValues() throws IOException {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    tensors.put("bert.embeddings.word_embeddings.weight", new FloatTensor(new Shape(2, 3), new float[] {1, -2, 3, 4.5f, 5, 6}));
    tensors.put("classifier.bias", new FloatTensor(new Shape(1), new float[] {-0.25f}));
    Path file = dir.resolve("model.safetensors");
    SafeTensors.write(file, tensors);

    Map<String, FloatTensor> back = SafeTensors.read(file);
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()));
    tensors.forEach((name, t) -> {
      assertEquals(t.shape(), back.get(name).shape(), name);
      assertArrayEquals(t.data(), back.get(name).data(), name);
    });
    String header = header(Files.readAllBytes(file));
    assertTrue(header.contains("\"classifier.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]}"), header);
  }

  @Test
  void readsPythonLayoutWithMetadataAndHalfPrecision() throws IOException {
    // what safetensors.torch.save_file writes: a __metadata__ entry, then tensors sorted by name
    Path file = write("{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[4,8]},"
        + "\"embeddings.position_ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[8,24]}}",
        ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3c00).putShort((short) 0xc100)
            .putFloat(0.125f).putLong(0).putLong(1).array());
    Map<String, FloatTensor> tensors = SafeTensors.read(file);
    assertArrayEquals(new float[] {1f, -2.5f}, tensors.get("a").data());
    assertEquals(new Shape(1, 1), tensors.get("b").shape());
    assertArrayEquals(new float[] {0.125f}, tensors.get("b").data());
    assertEquals(List.of("a", "b"), List.copyOf(tensors.keySet()), "integer buffers are skipped");
  }

  @Test
  void refusesBf16AndBrokenFilesNamingThem() throws IOException {
    Path bf16 = write("{\"g\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[] {(byte) 0x80, 0x3f});
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(bf16));
    assertTrue(e.getMessage().contains(bf16.toString()) && e.getMessage().contains("tensor g has dtype BF16"),
        e.getMessage());

    Path truncated = dir.resolve("short.safetensors");
    Files.write(truncated, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    e = assertThrows(IOException.class, () -> SafeTensors.read(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": not a safetensors file"), e.getMessage());
  }

  private Path write(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    Path file = Files.createTempFile(dir, "t", ".safetensors");
    Files.write(file, ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).put(data).array());
    return file;
  }

  private static String header(byte[] file) {
    long length = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(file, 8, (int) length, StandardCharsets.UTF_8);
  }
}

package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.util.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Float tensors in the safetensors format (8-byte little-endian header length, JSON header of {@code name →
 * dtype, shape, data_offsets}, raw little-endian data), read and written by DJL's own codec ({@link
 * NDList#decode} recognises the format, {@link NDList.Encoding#SAFETENSORS} writes it). F32, F16 and F64 tensors
 * are read as float32; I64 and I32 ones (buffers such as {@code embeddings.position_ids}) are skipped. The header
 * is checked here first: DJL 0.36 aborts the JVM on a BF16 tensor, so other dtypes are refused with an error
 * naming the file and the tensor.
 */
public final class SafeTensors {
  private static final Set<String> FLOATS = Set.of("F32", "F16", "F64");
  private static final Set<String> SKIPPED = Set.of("I64", "I32");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** The tensors of a safetensors file by name, in the file's order, as float32. */
  public static Map<String, FloatTensor> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    checkHeader(file, bytes);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      for (NDArray array : NDList.decode(manager, bytes)) {
        if (!array.getDataType().isFloating()) {
          continue;
        }
        NDArray floats = array.toType(DataType.FLOAT32, false);
        out.put(array.getName(), new FloatTensor(array.getShape(), floats.toFloatArray()));
      }
    }
    return out;
  }

  private static void checkHeader(Path file, byte[] bytes) throws IOException {
    if (bytes.length < 8) {
      throw new IOException(file + ": not a safetensors file (shorter than its 8-byte header length)");
    }
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length <= 0 || length > bytes.length - 8) {
      throw new IOException(file + ": not a safetensors file (header length " + length + " does not fit its "
          + bytes.length + " bytes)");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(file + ": not a safetensors file (its header is not JSON)", e);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> tensor = it.next();
      if (tensor.getKey().equals("__metadata__")) {
        continue;
      }
      String dtype = tensor.getValue().path("dtype").asText();
      if (!FLOATS.contains(dtype) && !SKIPPED.contains(dtype)) {
        throw new IOException(file + ": tensor " + tensor.getKey() + " has dtype " + dtype + "; expected one of "
            + FLOATS + " (convert the checkpoint to float32)");
      }
    }
  }

  /** Writes float32 tensors, in the map's order, atomically. */
  public static void write(Path file, Map<String, FloatTensor> tensors) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = new NDList(tensors.size());
      tensors.forEach((name, tensor) -> {
        NDArray array = manager.create(tensor.data(), tensor.shape());
        array.setName(name);
        list.add(array);
      });
      AtomicFiles.writeStream(file, out -> {
        BufferedOutputStream buffered = new BufferedOutputStream(out);
        list.encode(buffered, NDList.Encoding.SAFETENSORS);
        buffered.flush();
      });
    }
  }
}

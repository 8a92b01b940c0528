package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-encoded ONNX models exercising each way a float tensor can be stored. */
class OnnxInitializersTest {
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  @Test
  void readsRawAndPackedAndUnpackedFloatData() throws IOException {
    OnnxInitializers onnx = OnnxInitializers.read(new ByteArrayInputStream(model(true)));
    Map<String, FloatTensor> tensors = onnx.tensors();
    assertEquals(Set.of("onnx::MatMul_1", "layer.dense.bias", "emb.weight"), tensors.keySet());
    assertEquals(new Shape(2, 3), tensors.get("onnx::MatMul_1").shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, tensors.get("onnx::MatMul_1").data());
    assertArrayEquals(new float[] {0.5f, -1.5f, 2.5f}, tensors.get("layer.dense.bias").data());
    assertArrayEquals(new float[] {7, 8, 9, 10}, tensors.get("emb.weight").data());
    assertEquals(List.of(new OnnxInitializers.Node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("mm")),
        new OnnxInitializers.Node("Add", List.of("layer.dense.bias", "mm"), List.of("y"))), onnx.nodes());
  }

  @Test
  void namesMatMulWeightsAfterTheirBiasAndTransposesThem() throws IOException {
    Map<String, FloatTensor> named = OnnxInitializers.read(new ByteArrayInputStream(model(true))).huggingFaceWeights();
    assertEquals(Set.of("layer.dense.weight", "layer.dense.bias", "emb.weight"), named.keySet());
    FloatTensor weight = named.get("layer.dense.weight");
    assertEquals(new Shape(3, 2), weight.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, weight.data());
  }

  @Test
  void rejectsAMatMulWeightWithoutNamedBias() throws IOException {
    OnnxInitializers onnx = OnnxInitializers.read(new ByteArrayInputStream(model(false)));
    assertThrows(IllegalArgumentException.class, onnx::huggingFaceWeights);
  }

  /** ModelProto{ir_version, producer, graph{name, nodes MatMul [+ Add bias], 4 initializers}}. */
  private static byte[] model(boolean withBiasAdd) throws IOException {
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    CodedOutputStream g = CodedOutputStream.newInstance(graph);
    g.writeString(2, "tiny");
    g.writeBytes(1, node("MatMul", List.of("x", "onnx::MatMul_1"), List.of("mm")));
    if (withBiasAdd) {
      g.writeBytes(1, node("Add", List.of("layer.dense.bias", "mm"), List.of("y")));
    }
    g.writeBytes(5, message(t -> { // unpacked dims and unpacked float_data
      t.writeInt64(1, 2);
      t.writeInt64(1, 3);
      t.writeInt32(2, FLOAT);
      for (float v : new float[] {1, 2, 3, 4, 5, 6}) {
        t.writeFloat(4, v);
      }
      t.writeString(8, "onnx::MatMul_1");
    }));
    g.writeBytes(5, message(t -> { // packed dims, raw_data
      t.writeByteArray(1, new byte[] {3});
      t.writeInt32(2, FLOAT);
      t.writeString(8, "layer.dense.bias");
      t.writeBytes(9, littleEndian(0.5f, -1.5f, 2.5f));
    }));
    g.writeBytes(5, message(t -> { // packed float_data, name before data type
      t.writeString(8, "emb.weight");
      t.writeInt64(1, 2);
      t.writeInt64(1, 2);
      t.writeInt32(2, FLOAT);
      t.writeBytes(4, littleEndian(7, 8, 9, 10));
    }));
    g.writeBytes(5, message(t -> { // int64: skipped
      t.writeInt64(1, 1);
      t.writeInt32(2, INT64);
      t.writeString(8, "position_ids");
      t.writeBytes(9, ByteString.copyFrom(new byte[8]));
    }));
    g.flush();
    return message(m -> {
      m.writeInt64(1, 8);
      m.writeString(2, "test");
      m.writeBytes(7, ByteString.copyFrom(graph.toByteArray()));
    }).toByteArray();
  }

  private static ByteString node(String op, List<String> inputs, List<String> outputs) throws IOException {
    return message(n -> {
      for (String input : inputs) {
        n.writeString(1, input);
      }
      for (String output : outputs) {
        n.writeString(2, output);
      }
      n.writeString(4, op);
    });
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return ByteString.copyFrom(bytes.toByteArray());
  }

  private static ByteString littleEndian(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return ByteString.copyFrom(buffer.array());
  }
}

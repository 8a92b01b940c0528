package io.dualrank.model;

import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The float initializers and the node wiring of an ONNX model, read straight from the protobuf encoding
 * ({@code ModelProto.graph = 7}; {@code GraphProto.node = 1, initializer = 5}; {@code NodeProto.input = 1,
 * output = 2, op_type = 4}; {@code TensorProto.dims = 1, data_type = 2, float_data = 4, name = 8, raw_data =
 * 9, data_location = 14}). Tensor values may be in {@code raw_data} or in {@code float_data} (packed or
 * not), both little-endian; externally stored data is not supported. Non-float initializers are skipped.
 */
public final class OnnxInitializers {
  /** A graph node: operator type and the names of its input and output values. */
  public record Node(String opType, List<String> inputs, List<String> outputs) {}

  private static final int FLOAT = 1;
  private static final int EXTERNAL = 1;

  private final Map<String, FloatTensor> tensors;
  private final List<Node> nodes;

  private OnnxInitializers(Map<String, FloatTensor> tensors, List<Node> nodes) {
    this.tensors = tensors;
    this.nodes = nodes;
  }

  /** Float initializers by name, in file order. */
  public Map<String, FloatTensor> tensors() {
    return tensors;
  }

  /** The graph's nodes, in file order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Reads an ONNX model (does not close the stream). */
  public static OnnxInitializers read(InputStream onnx) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(onnx);
    in.setSizeLimit(Integer.MAX_VALUE);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    boolean sawGraph = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 7) {
        int limit = in.pushLimit(in.readRawVarint32());
        readGraph(in, tensors, nodes);
        in.popLimit(limit);
        sawGraph = true;
      } else {
        in.skipField(tag);
      }
    }
    if (!sawGraph) {
      throw new IOException("not an ONNX model: no graph");
    }
    return new OnnxInitializers(tensors, nodes);
  }

  private static void readGraph(CodedInputStream in, Map<String, FloatTensor> tensors, List<Node> nodes)
      throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == 1 || field == 5) {
        int limit = in.pushLimit(in.readRawVarint32());
        if (field == 1) {
          nodes.add(readNode(in));
        } else {
          readTensor(in, tensors);
        }
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static Node readNode(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String opType = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> inputs.add(in.readString());
        case 2 -> outputs.add(in.readString());
        case 4 -> opType = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Node(opType, List.copyOf(inputs), List.copyOf(outputs));
  }

  private static void readTensor(CodedInputStream in, Map<String, FloatTensor> tensors) throws IOException {
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = "";
    ByteString raw = ByteString.EMPTY;
    ByteString.Output floatData = ByteString.newOutput();
    boolean external = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> {
          if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (!in.isAtEnd()) {
              dims.add(in.readInt64());
            }
            in.popLimit(limit);
          } else {
            dims.add(in.readInt64());
          }
        }
        case 2 -> dataType = in.readInt32();
        case 4 -> {
          // packed floats are already the little-endian bytes; an unpacked one is a single fixed32
          if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            in.readBytes().writeTo(floatData);
          } else {
            int bits = in.readRawLittleEndian32();
            floatData.write(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
          }
        }
        case 8 -> name = in.readString();
        case 9 -> raw = in.readBytes();
        case 14 -> external = in.readEnum() == EXTERNAL;
        default -> in.skipField(tag);
      }
    }
    if (dataType != FLOAT) {
      return;
    }
    if (external) {
      throw new IOException("initializer " + name + " is stored outside the model file: not supported");
    }
    ByteString bytes = raw.isEmpty() ? floatData.toByteString() : raw;
    float[] values = new float[bytes.size() / Float.BYTES];
    bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    tensors.put(name, new FloatTensor(new Shape(dims.stream().mapToLong(Long::longValue).toArray()), values));
  }

  /**
   * The initializers under HuggingFace {@code BertModel} names and layouts. Named initializers keep their
   * names. A {@code MatMul} weight, often anonymous ({@code onnx::MatMul_123}), is named after the bias
   * {@code X.bias} that an {@code Add} node adds to the MatMul's output: it becomes {@code X.weight},
   * transposed from ONNX's {@code [in, out]} to PyTorch's {@code [out, in]}.
   *
   * @throws IllegalArgumentException if a MatMul weight has no such bias
   */
  public Map<String, FloatTensor> huggingFaceWeights() {
    Map<String, FloatTensor> named = new LinkedHashMap<>();
    huggingFaceSources().forEach((name, source) -> {
      FloatTensor tensor = tensors.get(source.initializer());
      named.put(name, source.transposed() ? tensor.transposed() : tensor);
    });
    return named;
  }

  /** Where a HuggingFace weight is in the model: an initializer, or the transpose of one. */
  private record Source(String initializer, boolean transposed) {}

  /** The source of each of {@link #huggingFaceWeights}, in the same order. */
  private Map<String, Source> huggingFaceSources() {
    Map<String, List<Node>> consumers = new HashMap<>();
    for (Node node : nodes) {
      node.inputs().forEach(input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node));
    }
    Map<String, Source> named = new LinkedHashMap<>();
    Set<String> matMulWeights = new HashSet<>();
    for (Node node : nodes) {
      if (!node.opType().equals("MatMul") || !tensors.containsKey(node.inputs().get(1))) {
        continue;
      }
      String weight = node.inputs().get(1);
      String bias = consumers.getOrDefault(node.outputs().get(0), List.of()).stream()
          .filter(consumer -> consumer.opType().equals("Add"))
          .flatMap(add -> add.inputs().stream())
          .filter(input -> input.endsWith(".bias") && tensors.containsKey(input))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("MatMul weight " + weight + " has no named bias"));
      named.put(bias.substring(0, bias.length() - ".bias".length()) + ".weight", new Source(weight, true));
      matMulWeights.add(weight);
    }
    for (String name : tensors.keySet()) {
      if (!matMulWeights.contains(name)) {
        named.put(name, new Source(name, false));
      }
    }
    return named;
  }

  /**
   * The ONNX model {@code onnx} with the initializers behind some of its {@link #huggingFaceWeights} replaced:
   * the same graph computing with other weights (e.g. fine-tuned ones), for ONNX Runtime. Each replacement
   * must have the shape of the weight it replaces; the initializers it does not name are kept as they are.
   */
  public static byte[] withHuggingFaceWeights(byte[] onnx, Map<String, FloatTensor> weights) throws IOException {
    OnnxInitializers model = read(new ByteArrayInputStream(onnx));
    Map<String, Source> sources = model.huggingFaceSources();
    Map<String, FloatTensor> replacements = new HashMap<>();
    weights.forEach((name, weight) -> {
      Source source = sources.get(name);
      if (source == null) {
        throw new IllegalArgumentException("the model has no weight " + name);
      }
      FloatTensor initializer = source.transposed() ? weight.transposed() : weight;
      if (!initializer.shape().equals(model.tensors.get(source.initializer()).shape())) {
        throw new IllegalArgumentException(name + ": shape " + weight.shape() + " does not fit the model");
      }
      replacements.put(source.initializer(), initializer);
    });
    try {
      return rewriteField(onnx, 7, graph -> rewriteField(graph, 5, tensor -> {
        String name = tensorName(tensor);
        return replacements.containsKey(name) ? tensorProto(name, replacements.get(name)) : tensor;
      }));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** {@code message} with each length-delimited field {@code field} replaced by {@code rewrite} of it. */
  private static byte[] rewriteField(byte[] message, int field, UnaryOperator<byte[]> rewrite) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(message);
      in.setSizeLimit(Integer.MAX_VALUE);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == field
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          out.writeByteArray(field, rewrite.apply(in.readByteArray()));
        } else {
          in.skipField(tag, out);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tensorName(byte[] tensor) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(tensor);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 8) {
          return in.readString();
        }
        in.skipField(tag);
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A float {@code TensorProto}: dims, data type, name, little-endian raw data. */
  static byte[] tensorProto(String name, FloatTensor tensor) {
    try {
      ByteBuffer raw = ByteBuffer.allocate(tensor.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asFloatBuffer().put(tensor.data());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.capacity() + 64);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      for (long dim : tensor.shape().getShape()) {
        out.writeInt64(1, dim);
      }
      out.writeInt32(2, FLOAT);
      out.writeString(8, name);
      out.writeByteArray(9, raw.array());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

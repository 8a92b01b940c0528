package io.dualrank.model;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model (the protobuf encoding {@link OnnxInitializers} reads: {@code ModelProto.ir_version = 1,
 * producer_name = 2, graph = 7, opset_import = 8, metadata_props = 14}; {@code GraphProto.node = 1, name = 2,
 * initializer = 5, input = 11, output = 12}; {@code NodeProto.input = 1, output = 2, name = 3, op_type = 4,
 * attribute = 5}; {@code AttributeProto.name = 1, f = 2, i = 3, ints = 8, type = 20}; {@code ValueInfoProto.name
 * = 1, type = 2}; {@code TypeProto.tensor_type = 1} with {@code elem_type = 1, shape = 2}; {@code
 * TensorShapeProto.dim = 1} with {@code dim_value = 1, dim_param = 2}). Nodes are added in topological order;
 * each {@link #node} call names its single output.
 */
final class OnnxGraphWriter {
  static final int FLOAT = 1;
  static final int INT64 = 7;
  private static final int IR_VERSION = 8;
  private static final int ATTRIBUTE_FLOAT = 1;
  private static final int ATTRIBUTE_INT = 2;
  private static final int ATTRIBUTE_INTS = 7;

  /** A node attribute: an int, a float or a list of ints. */
  record Attribute(String name, Object value) {
    static Attribute of(String name, long value) {
      return new Attribute(name, value);
    }

    static Attribute of(String name, float value) {
      return new Attribute(name, value);
    }

    static Attribute ints(String name, long... values) {
      return new Attribute(name, values);
    }
  }

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int values;

  /** Adds a float initializer; returns its name. */
  String initializer(String name, FloatTensor tensor) {
    initializers.add(OnnxInitializers.tensorProto(name, tensor));
    return name;
  }

  /** A float scalar constant; returns its name. */
  String scalar(float value) {
    return initializer("const_" + values++, new FloatTensor(new ai.djl.ndarray.types.Shape(), new float[] {value}));
  }

  /** An int64 vector constant; returns its name. */
  String longs(long... data) {
    String name = "const_" + values++;
    initializers.add(message(out -> {
      out.writeInt64(1, data.length);
      out.writeInt32(2, INT64);
      out.writeString(8, name);
      ByteBuffer raw = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asLongBuffer().put(data);
      out.writeByteArray(9, raw.array());
    }));
    return name;
  }

  /** An int64 scalar constant (a 0-d tensor, e.g. a Gather index that drops its axis); returns its name. */
  String longScalar(long value) {
    String name = "const_" + values++;
    initializers.add(message(out -> {
      out.writeInt32(2, INT64);
      out.writeString(8, name);
      out.writeByteArray(9, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }));
    return name;
  }

  /** Adds a node of {@code opType} on {@code inputs}; returns the name of its output. */
  String node(String opType, List<String> inputs, Attribute... attributes) {
    String output = opType.toLowerCase(java.util.Locale.ROOT) + "_" + values++;
    nodes.add(message(out -> {
      for (String input : inputs) {
        out.writeString(1, input);
      }
      out.writeString(2, output);
      out.writeString(3, output);
      out.writeString(4, opType);
      for (Attribute attribute : attributes) {
        out.writeByteArray(5, attribute(attribute));
      }
    }));
    return output;
  }

  /** {@code x Wᵀ + b} for a PyTorch weight {@code [out, in]} named {@code prefix.weight}, {@code prefix.bias}. */
  String linear(String x, String prefix, FloatTensor weight, FloatTensor bias) {
    String transposed = initializer(prefix + ".weight.T", weight.transposed());
    return node("Add", List.of(node("MatMul", List.of(x, transposed)), initializer(prefix + ".bias", bias)));
  }

  /** Declares a graph input; a dimension is a size (Long) or a symbolic name (String). */
  void input(String name, int elementType, Object... dims) {
    inputs.add(valueInfo(name, elementType, dims));
  }

  /** Declares the value {@code value} a graph output named {@code name} (see {@link #input} for dims). */
  void output(String value, String name, int elementType, Object... dims) {
    nodes.add(message(out -> {
      out.writeString(1, value);
      out.writeString(2, name);
      out.writeString(3, name);
      out.writeString(4, "Identity");
    }));
    outputs.add(valueInfo(name, elementType, dims));
  }

  /** Adds a {@code metadata_props} entry. */
  void metadata(String key, String value) {
    metadata.put(key, value);
  }

  /** The model: this graph under default-domain opset {@code opset}. */
  byte[] model(String graphName, int opset) {
    byte[] graph = message(out -> {
      for (byte[] node : nodes) {
        out.writeByteArray(1, node);
      }
      out.writeString(2, graphName);
      for (byte[] tensor : initializers) {
        out.writeByteArray(5, tensor);
      }
      for (byte[] input : inputs) {
        out.writeByteArray(11, input);
      }
      for (byte[] output : outputs) {
        out.writeByteArray(12, output);
      }
    });
    return message(out -> {
      out.writeInt64(1, IR_VERSION);
      out.writeString(2, "dualrank");
      out.writeByteArray(7, graph);
      out.writeByteArray(8, message(opsetId -> {
        opsetId.writeString(1, "");
        opsetId.writeInt64(2, opset);
      }));
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        out.writeByteArray(14, message(prop -> {
          prop.writeString(1, entry.getKey());
          prop.writeString(2, entry.getValue());
        }));
      }
    });
  }

  private static byte[] attribute(Attribute attribute) {
    return message(out -> {
      out.writeString(1, attribute.name());
      if (attribute.value() instanceof Float f) {
        out.writeFloat(2, f);
        out.writeInt32(20, ATTRIBUTE_FLOAT);
      } else if (attribute.value() instanceof Long i) {
        out.writeInt64(3, i);
        out.writeInt32(20, ATTRIBUTE_INT);
      } else {
        for (long i : (long[]) attribute.value()) {
          out.writeInt64(8, i);
        }
        out.writeInt32(20, ATTRIBUTE_INTS);
      }
    });
  }

  private static byte[] valueInfo(String name, int elementType, Object... dims) {
    byte[] shape = message(out -> {
      for (Object dim : dims) {
        out.writeByteArray(1, message(d -> {
          if (dim instanceof String symbol) {
            d.writeString(2, symbol);
          } else {
            d.writeInt64(1, (Long) dim);
          }
        }));
      }
    });
    byte[] tensorType = message(out -> {
      out.writeInt32(1, elementType);
      out.writeByteArray(2, shape);
    });
    return message(out -> {
      out.writeString(1, name);
      out.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
    });
  }

  /** Something that writes the fields of one protobuf message. */
  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      fields.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

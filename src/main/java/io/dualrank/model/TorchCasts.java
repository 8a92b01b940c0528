package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Differentiable dtype casts of PyTorch tensors, which DJL 0.36's own {@code NDArray.toType} cannot do for
 * mixed precision: its native side runs the cast under {@code torch::NoGradGuard} (no gradient reaches the
 * float32 parameter), and its dtype switch ({@code GetScalarTypeFromDType}) knows only DJL's codes 0–8, so
 * {@code DataType.BFLOAT16} (ordinal 11) reaches its {@code default: throw;} — a rethrow with no active
 * exception, i.e. {@code std::terminate} ("terminate called without an active exception").
 *
 * <p>Each cast is instead a one-line TorchScript module, {@code forward(x) = torch.to(x, dtype)}, loaded through
 * DJL's public {@code JniUtils.loadModule} and run in training mode, so autograd records it whenever
 * gradients are on. The TorchScript archive (a zip of the module's code and its pickled object) is written
 * here in memory. A cast's output belongs to its input's manager. A bf16 output reports DJL's {@code
 * DataType.UNKNOWN} (and DJL ops that pass a dtype code would misread it): only pass low-precision arrays to
 * dtype-agnostic products ({@code matMul}, {@code Linear.linear}) and cast back before anything else.
 */
final class TorchCasts {
  /** c10::ScalarType codes of the targets. */
  static final int HALF = 5;
  static final int FLOAT = 6;
  static final int BFLOAT16 = 15;

  private static final NDManager MODULES = NDManager.newBaseManager(); // process lifetime, like the natives
  private static final PtSymbolBlock TO_FLOAT = load(FLOAT);
  private static final PtSymbolBlock TO_HALF = load(HALF);
  private static final PtSymbolBlock TO_BFLOAT16 = load(BFLOAT16);

  private TorchCasts() {}

  /** {@code x} cast to the c10 scalar type {@code target} (one of the constants above), differentiably. */
  static NDArray cast(NDArray x, int target) {
    PtSymbolBlock module = switch (target) {
      case FLOAT -> TO_FLOAT;
      case HALF -> TO_HALF;
      case BFLOAT16 -> TO_BFLOAT16;
      default -> throw new IllegalArgumentException("no cast to scalar type " + target);
    };
    return module.forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
  }

  private static PtSymbolBlock load(int target) {
    try {
      return JniUtils.loadModule((PtNDManager) MODULES, new ByteArrayInputStream(archive(target)), false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A TorchScript archive (format version 3) of class {@code __torch__.Cast} with {@code forward(x) =
   * torch.to(x, target)}: its source under {@code code/}, the module object in {@code data.pkl} (pickle
   * protocol 2: {@code Cast.__new__()} with state {@code {"training": True}}) and no constants.
   */
  static byte[] archive(int target) throws IOException {
    String source = "class Cast(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
        + "  def forward(self: __torch__.Cast,\n    x: Tensor) -> Tensor:\n    return torch.to(x, " + target + ")\n";
    ByteArrayOutputStream module = new ByteArrayOutputStream();
    module.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
    module.write("c__torch__\nCast\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    module.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK BINUNICODE
    module.write("training".getBytes(StandardCharsets.US_ASCII));
    module.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE SETITEMS BUILD STOP
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      putStored(out, "data.pkl", module.toByteArray());
      putStored(out, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      putStored(out, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
      putStored(out, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return zip.toByteArray();
  }

  private static void putStored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry("cast/" + name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    out.putNextEntry(entry);
    out.write(bytes);
    out.closeEntry();
  }
}

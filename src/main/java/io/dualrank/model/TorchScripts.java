package io.dualrank.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One-method TorchScript modules written in memory and loaded through DJL's public {@code
 * JniUtils.loadModule} — the way to reach PyTorch operators that DJL 0.36 does not bind (differentiable dtype casts, the quantised
 * linear kernels). A module has no parameters or buffers; the modules live as long as the process, like the
 * native libraries.
 */
final class TorchScripts {
  private static final NDManager MODULES = NDManager.newBaseManager();

  private TorchScripts() {}

  /**
   * The module of class {@code __torch__.<name>} whose {@code forward(self, <parameters>) -> <result>} runs
   * the {@code body} lines (TorchScript's serialised-code syntax: {@code torch.…}, {@code ops.<namespace>.…},
   * positional dtype codes), loaded in training mode. A module has {@code forward(NDList)} for tensor
   * results and {@code forward(IValue...)} for others (such as a packed weight).
   */
  static PtSymbolBlock load(String name, String parameters, String result, String... body) {
    try {
      return JniUtils.loadModule((PtNDManager) MODULES, new ByteArrayInputStream(archive(name, parameters, result, body)),
          false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A TorchScript archive (format version 3) of that module: its source under {@code code/}, the module
   * object in {@code data.pkl} (pickle protocol 2: {@code <name>.__new__()} with state {@code {"training":
   * True}}) and no constants.
   */
  static byte[] archive(String name, String parameters, String result, String... body) throws IOException {
    String source = "class " + name + "(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
        + "  def forward(self: __torch__." + name + ",\n    " + parameters + ") -> " + result + ":\n    "
        + String.join("\n    ", body) + "\n";
    ByteArrayOutputStream module = new ByteArrayOutputStream();
    module.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
    module.write(("c__torch__\n" + name + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    module.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK BINUNICODE
    module.write("training".getBytes(StandardCharsets.US_ASCII));
    module.write(new byte[] {(byte) 0x88, 'u', 'b', '.'}); // NEWTRUE SETITEMS BUILD STOP
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      String root = name.toLowerCase(Locale.ROOT) + "/";
      putStored(out, root + "data.pkl", module.toByteArray());
      putStored(out, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      putStored(out, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
      putStored(out, root + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return zip.toByteArray();
  }

  private static void putStored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
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

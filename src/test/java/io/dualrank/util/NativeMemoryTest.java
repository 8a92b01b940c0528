package io.dualrank.util;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
  /** Resident memory of this process in kB, from /proc/self/status. */
  private static long residentKb() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
  }

  private static boolean glibc() {
    try {
      NativeLibrary.getInstance("c").getFunction("gnu_get_libc_version");
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }

  /**
   * 256 MB in 4 kB blocks, touched, then freed under a block that stays: glibc cannot shrink its heap past that
   * block, so the freed pages stay resident until {@link NativeMemory#trim} hands them back.
   */
  @Test
  void trimGivesBackFreedMallocMemory() throws IOException {
    assumeTrue(Platform.isLinux() && Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");
    assumeTrue(glibc(), "the C library is not glibc: nothing to trim");
    int blocks = 65_536;
    long[] pointers = new long[blocks];
    for (int i = 0; i < blocks; i++) {
      pointers[i] = Native.malloc(4096);
      new Pointer(pointers[i]).clear(4096); // touched: resident
    }
    long keep = Native.malloc(64);
    for (long p : pointers) {
      Native.free(p);
    }
    long before = residentKb();
    boolean released = NativeMemory.trim();
    long after = residentKb();
    Native.free(keep);
    assertTrue(released, "malloc_trim released nothing");
    assertTrue(before - after > 128 * 1024, "resident " + before + " kB before the trim, " + after + " kB after");
  }
}

package io.dualrank.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Gives the operating system back the native memory that glibc's malloc holds free: {@code malloc_trim(0)}, which
 * releases the top of each heap and, inside them, every whole free page. {@code bin/native-env} tells glibc never to
 * trim by itself (PyTorch's large arrays then reuse pages instead of fresh zero-filled ones), so a job keeps its
 * high-water mark: a study calls this after a training stage so that the stages after it, and jobs beside it, do
 * not pay for the training's activations.
 */
public final class NativeMemory {
  private NativeMemory() {}

  private interface C extends Library {
    int malloc_trim(long pad);
  }

  /** Returns whether memory was released; false, doing nothing, where the C library is not glibc. */
  public static boolean trim() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      return Native.load("c", C.class).malloc_trim(0) == 1;
    } catch (UnsatisfiedLinkError e) { // musl and others have no malloc_trim
      return false;
    }
  }
}

package io.dualrank.util;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop a long job at its next step boundary.
 *
 * <p>Why: the JVM's own reaction to these signals is {@code System.exit(128 + signal)} from a "SIGTERM handler"
 * thread. The VM's exit stops the Java threads at a safepoint, but a thread inside a native call (PyTorch's
 * {@code torchBackward}, say) is not stopped: it runs on while {@code exit()} destroys libtorch's static
 * objects, and then crashes (SIGSEGV in {@code at::accelerator::getAccelerator}, exit status 134 and an
 * {@code hs_err_pid*.log}). So while a job {@linkplain #watch() watches}, a signal only sets a flag that the job
 * polls between native calls; it then saves its state and throws {@link Stopped}, and the command exits from
 * its own thread with {@link Stopped#exitStatus()} = 128 + the signal's number (130 for SIGINT, 143 for
 * SIGTERM: the JVM's own codes, so scripts see the usual status, without the crash).
 *
 * <p>A signal while no job watches, or a second signal, exits at once as the JVM would (the user insists).
 */
public final class StopSignals {
  private static final AtomicInteger WATCHERS = new AtomicInteger();
  private static volatile Signal requested;
  private static boolean installed;

  private StopSignals() {}

  /**
   * Handles SIGTERM and SIGINT from now on. A signal the process ignores (SIGINT in a shell's background job)
   * stays ignored, and one the JVM leaves alone ({@code -Xrs}) keeps the operating system's default.
   */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), StopSignals::received);
      } catch (IllegalArgumentException reservedByTheVm) {
        // -Xrs: the JVM does not handle it, and neither do we
      }
    }
  }

  private static void received(Signal signal) {
    if (WATCHERS.get() == 0 || requested != null) {
      System.exit(128 + signal.getNumber()); // runs on the JVM's signal-dispatch thread, as the default handler does
    }
    requested = signal;
    System.err.printf(Locale.ROOT, "%nSIG%s received: stopping at the next step boundary (send it again to stop"
        + " at once)%n", signal.getName());
  }

  /** Starts watching for a stop request; close the watch when the job ends. */
  public static Watch watch() {
    WATCHERS.incrementAndGet();
    return new Watch();
  }

  /** A job's view of the stop requests while it runs. */
  public static final class Watch implements AutoCloseable {
    private boolean closed;

    private Watch() {}

    /** Whether a stop was requested. */
    public boolean requested() {
      return requested != null;
    }

    /**
     * Throws {@link Stopped} when a stop was requested; {@code state} says what was kept (e.g. "the checkpoint
     * at step 300 is in DIR"). Call it at a step boundary, after saving what a later run resumes from.
     */
    public void stopIfRequested(String state) {
      Signal s = requested;
      if (s != null) {
        throw new Stopped("SIG" + s.getName(), 128 + s.getNumber(), state);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        WATCHERS.decrementAndGet();
      }
    }
  }

  /** A job stopped at a step boundary on a signal, with its state saved. */
  public static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitStatus;

    Stopped(String signal, int exitStatus, String state) {
      super("stopped by " + signal + "; " + state);
      this.exitStatus = exitStatus;
    }

    /** 128 + the signal's number, the status a shell reports for a process the signal ended. */
    public int exitStatus() {
      return exitStatus;
    }
  }
}

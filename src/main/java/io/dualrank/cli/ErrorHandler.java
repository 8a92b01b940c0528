package io.dualrank.cli;

import io.dualrank.data.InputFormatException;
import io.dualrank.train.TrainingDivergedException;
import io.dualrank.util.StopSignals;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can act on (bad input files, missing or unwritable files, bad arguments, training
 * that diverged) into one
 * clear line on stderr and exit code 2; a run stopped by a signal exits with 128 + the signal's number; anything
 * else is a bug and keeps its stack trace (exit code 1).
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  /** {@link FileNotFoundException}'s message from the JDK's file streams: {@code PATH (REASON)}. */
  private static final Pattern PATH_AND_REASON = Pattern.compile("(.*) \\(([^()]*)\\)");

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    String prefix = "dualrank " + cl.getCommandName() + ": ";
    if (e instanceof StopSignals.Stopped stopped) {
      String next = cl.getCommandSpec().findOption("--resume") != null ? "run it again with --resume to continue"
          : "run it again to continue";
      cl.getErr().println(prefix + stopped.getMessage() + "; " + next);
      return stopped.exitStatus();
    }
    IOException io = e instanceof UncheckedIOException u ? u.getCause() : e instanceof IOException i ? i : null;
    if (io != null) {
      cl.getErr().println(prefix + describe(io));
      return 2;
    }
    if (e instanceof InputFormatException || e instanceof IllegalArgumentException
        || e instanceof TrainingDivergedException) {
      cl.getErr().println(prefix + e.getMessage());
      return 2;
    }
    e.printStackTrace(cl.getErr());
    return 1;
  }

  /** What went wrong with which path, in words: {@code no such file or directory: PATH}, never a class name. */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f) {
      String what = f instanceof NoSuchFileException ? "no such file or directory"
          : f instanceof AccessDeniedException ? "permission denied"
          : f instanceof NotDirectoryException ? "not a directory"
          : f instanceof FileAlreadyExistsException ? "already exists"
          : f instanceof DirectoryNotEmptyException ? "directory not empty"
          : f instanceof NotLinkException ? "not a symbolic link"
          : f instanceof FileSystemLoopException ? "a cycle of symbolic links"
          : f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT)
          : "cannot be accessed";
      String paths = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
      String detail = f.getReason() == null || what.equalsIgnoreCase(f.getReason()) ? "" : " (" + f.getReason() + ")";
      return what + (paths.isEmpty() ? "" : ": " + paths) + detail;
    }
    if (e instanceof FileNotFoundException && e.getMessage() != null) {
      Matcher m = PATH_AND_REASON.matcher(e.getMessage());
      return m.matches() ? m.group(2).toLowerCase(Locale.ROOT) + ": " + m.group(1) : "not found: " + e.getMessage();
    }
    if (e instanceof EOFException) {
      return "unexpected end of file" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (e.getCause() instanceof IOException cause
        && (e.getMessage() == null || e.getMessage().equals(cause.toString()))) {
      return describe(cause); // new IOException(cause) repeats the cause's class name as its message
    }
    return e.getMessage() != null ? e.getMessage() : "input/output error";
  }
}

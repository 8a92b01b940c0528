package io.dualrank.cli;

import io.dualrank.data.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can act on (bad input files, missing files, bad arguments) into one clear line
 * on stderr and exit code 2; anything else is a bug and keeps its stack trace (exit code 1).
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    if (e instanceof InputFormatException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException) {
      cl.getErr().println("dualrank " + cl.getCommandName() + ": " + e.getMessage());
      return 2;
    }
    e.printStackTrace(cl.getErr());
    return 1;
  }
}

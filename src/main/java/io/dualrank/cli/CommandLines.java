package io.dualrank.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Small helpers the commands share. */
final class CommandLines {
  private CommandLines() {}

  /** The command as typed: {@code dualrank <subcommands> <args>}, for provenance records. */
  static String typed(CommandSpec spec) {
    StringBuilder sb = new StringBuilder(spec.root().name());
    for (String a : spec.root().commandLine().getParseResult().originalArgs()) {
      sb.append(' ').append(a);
    }
    return sb.toString();
  }
}

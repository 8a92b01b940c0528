package io.dualrank.cli;

import io.dualrank.util.StopSignals;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dualrank} command: a thin layer over the library, one subcommand per job. */
@Command(
    name = "dualrank",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Cross-attention and dual-encoder neural ranking: train, distil, evaluate, retrieve.",
    subcommands = {
        CommandLine.HelpCommand.class,
        Bm25Command.class,
        EvalCommand.class,
        CompareCommand.class,
        FuseCommand.class,
        InitCommand.class,
        ExportCommand.class,
        TrainCommand.class,
        TeacherScoreCommand.class,
        RerankCommand.class,
        ReproduceCommand.class,
        EncodeCommand.class,
        IndexCommand.class,
        SearchCommand.class,
        ServeCommand.class,
        DataCommand.class})
public final class DualRank {

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DualRank());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    return cl;
  }

  /** Runs a command; SIGTERM and SIGINT stop training at a step boundary ({@link StopSignals}). */
  public static void main(String[] args) {
    StopSignals.install();
    System.exit(commandLine().execute(args));
  }
}

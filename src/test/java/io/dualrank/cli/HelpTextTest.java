package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option and positional parameter of every command says what it is in {@code --help}, and one with a
 * default value shows it (picocli hands the description with {@code ${DEFAULT-VALUE}} already filled in).
 */
class HelpTextTest {
  @Test
  void everyOptionHasADescriptionAndShowsItsDefault() {
    List<String> missing = new ArrayList<>();
    walk(DualRank.commandLine(), missing);
    assertEquals(List.of(), missing);
  }

  private static void walk(CommandLine cl, List<String> missing) {
    String command = cl.getCommandSpec().qualifiedName();
    for (ArgSpec arg : cl.getCommandSpec().args()) {
      String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
      String text = String.join(" ", arg.description());
      if (text.isBlank()) {
        missing.add(command + " " + name + ": no description");
      }
      boolean flag = arg.typeInfo().isBoolean();
      if (arg.defaultValue() != null && !flag && !text.toLowerCase(java.util.Locale.ROOT).contains("default")) {
        missing.add(command + " " + name + ": default " + arg.defaultValue() + " not shown");
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub != cl && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        walk(sub, missing);
      }
    }
  }
}

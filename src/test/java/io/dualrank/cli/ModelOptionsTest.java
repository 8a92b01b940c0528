package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.model.Pooling;
import io.dualrank.model.RankerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.junit.jupiter.api.Test;

/** {@code --pooling} reaches the model's config for a CA as for a DE (it used to be ignored for a CA). */
class ModelOptionsTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin ModelOptions options;
  }

  private static RankerConfig config(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.options.config();
  }

  @Test
  void poolingDefaultsToClsForACaAndMeanForADe() {
    assertEquals(Pooling.CLS, config("--model", "ca", "--init", "random:1x16x2").pooling());
    assertEquals(Pooling.MEAN, config("--model", "de", "--init", "random:1x16x2").pooling());
  }

  @Test
  void aCaTakesThePoolingItIsGiven() {
    assertEquals(Pooling.MEAN, config("--model", "ca", "--init", "random:1x16x2", "--pooling", "mean").pooling());
    assertEquals(Pooling.CLS, config("--model", "de", "--init", "random:1x16x2", "--pooling", "CLS").pooling());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("--model", "ca", "--init", "random:1x16x2", "--pooling", "max"));
    assertTrue(e.getMessage().contains("--pooling must be mean or cls, got max"), e.getMessage());
  }
}

package io.dualrank.cli;

import io.dualrank.model.RankerModel;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Provenance;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank init}: writes an untrained model directory, e.g. the pre-trained MiniLM as a DE. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Writes a model directory without training: the pre-trained encoder as a dual encoder (as",
      "sentence-transformers uses all-MiniLM-L6-v2: --model de --pooling mean --normalize), or any new CA/DE."})
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--seed", defaultValue = "42",
      description = "Seed of the random parts (heads, projections). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.") Path out;

  @Override
  public Integer call() throws Exception {
    try (RankerModel model = RankerModel.create(modelOptions.config(), seed)) {
      model.save(out);
      var p = Provenance.withSource(Provenance.of(CommandLines.typed(spec), null), Path.of(model.config().init()));
      p.put("seed", seed);
      p.put("trainingSteps", 0);
      AtomicFiles.writeFile(out.resolve("provenance.json"),
          tmp -> new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), p));
    }
    System.err.println("init: model written to " + out);
    return 0;
  }
}

package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.experiment.ExperimentConfig;
import io.dualrank.experiment.Report;
import io.dualrank.experiment.ReproductionPipeline;
import io.dualrank.model.MatrixPrecision;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dualrank reproduce}: the paper's three claims on one dataset, with one command. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = {"Runs the whole study of an experiment config: candidates, CA teacher, teacher scores, DE",
      "students (one-hot and each distillation loss), evaluation on train and test, the capacity sweep; writes",
      "a report (Markdown + PNG plots) and checks the config's expected figures (exit code 3 if one is off).",
      "Stages are cached in --work by their inputs: a rerun skips what is done, a changed setting reruns what",
      "depends on it, and a killed run resumes."})
final class ReproduceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The study run when no --config is given: the embedded sample, which needs no data root. */
  static final String SAMPLE_CONFIG = "experiments/nq-sample.yaml";

  @Option(names = "--config", paramLabel = "YAML", description = {"Experiment config, e.g. experiments/scifact.yaml.",
      "Default: " + SAMPLE_CONFIG + ", the embedded sample (shipped in the repository; minutes)."})
  Path config;

  @Option(names = "--quick", description = "The config's quick profile: tiny random models, a few queries, minutes.")
  boolean quick;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data root. Default: $DUALRANK_DATA, else ../shared/data.")
  String dataRoot;

  @Option(names = "--work", defaultValue = "work", paramLabel = "DIR",
      description = "Where stages keep models, runs and scores. Default: ${DEFAULT-VALUE}.")
  Path work;

  @Option(names = "--report", paramLabel = "DIR", description = "Report folder. Default: docs/results/<name>.")
  Path report;

  @Mixin PrecisionOptions precision;

  @Option(names = "--scoring-precision", defaultValue = "auto", paramLabel = "fp32|bf16|fp16|int8|auto",
      description = {"Matrix products of the study's re-ranking and teacher scoring (evaluations, teacher scores,"
          + " the capacity matrix, transfer sets), for models run by DJL/PyTorch (an ONNX graph teacher stays fp32);"
          + " part of those stages' keys unless fp32. auto: the training precision (--precision).",
          "Default: ${DEFAULT-VALUE}."})
  String scoringPrecision;

  /** {@code --scoring-precision}: {@code training} for auto. */
  private MatrixPrecision scoringPrecision(MatrixPrecision training) {
    try {
      return "auto".equalsIgnoreCase(scoringPrecision) ? training : MatrixPrecision.parse(scoringPrecision);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--scoring-precision: " + e.getMessage() + " or auto");
    }
  }

  @Override
  public Integer call() throws Exception {
    MatrixPrecision training = precision.resolve();
    MatrixPrecision scoring = scoringPrecision(training);
    ExperimentConfig full = ExperimentConfig.read(config != null ? config : Dataset.home().resolve(SAMPLE_CONFIG));
    ExperimentConfig cfg = quick ? full.quick() : full;
    Dataset dataset = Dataset.named(cfg.dataset(), Dataset.dataRoot(dataRoot));
    dataset.validate();
    String command = CommandLines.typed(spec);
    System.err.printf("reproduce: training in %s, scoring in %s%n", training.cliName(), scoring.cliName());
    var outcome = new ReproductionPipeline(cfg, dataset, work, command, training, scoring,
        quick ? ExperimentConfig::quick : c -> c).run();
    Path dir = report != null ? report : Dataset.home().resolve("docs/results").resolve(cfg.name());
    List<Report.Check> checks = new Report(outcome, dir, command).write();
    var out = spec.commandLine().getOut();
    out.printf("report: %s/README.md (total %s)%n", dir, String.format("%.0f s", outcome.seconds()));
    long failed = checks.stream().filter(c -> !c.ok()).count();
    for (Report.Check c : checks) {
      out.printf("expected %-40s %.4f ± %.4f  measured %s  %s%n", c.figure(), c.expected(), c.tolerance(),
          c.measured() == null ? "missing" : String.format("%.4f", c.measured()), c.ok() ? "ok" : "FAIL");
    }
    if (dataset.embedded()) {
      out.printf("this ran on the embedded sample %s (a check that every stage works); the full studies: see the"
          + " README, section The full studies (e.g. bin/dualrank data fetch scifact, then bin/dualrank reproduce"
          + " --config experiments/scifact.yaml)%n", dataset.name());
    }
    out.flush();
    return failed == 0 ? 0 : 3;
  }
}

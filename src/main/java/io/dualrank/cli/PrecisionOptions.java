package io.dualrank.cli;

import io.dualrank.model.MatrixPrecision;
import picocli.CommandLine.Option;

/** {@code --precision}: the number format of the encoders' matrix products in training steps. */
final class PrecisionOptions {
  @Option(names = "--precision", defaultValue = "auto", paramLabel = "fp32|bf16|fp16|auto",
      description = "Matrix products of training steps (parameters, optimiser state, loss and evaluation stay"
          + " float32). auto: bf16 where the CPU has AMX-BF16, else fp32. Default: ${DEFAULT-VALUE}.")
  String precision;

  MatrixPrecision resolve() {
    return MatrixPrecision.forTraining(precision);
  }
}

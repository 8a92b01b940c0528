package io.dualrank.cli;

import io.dualrank.model.MatrixPrecision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --precision}: the number format of the encoders' matrix products in training steps. */
final class PrecisionOptions {
  @Option(names = "--precision", defaultValue = "auto", paramLabel = "fp32|bf16|fp16|auto",
      description = "Matrix products of training steps (parameters, optimiser state, loss and the trainer's own"
          + " evaluations stay float32). auto: bf16 where the CPU has AMX-BF16, or AVX512-BF16 and a bf16 product"
          + " measured at least 1.5x as fast as float32's (about a second, said on stderr); else fp32."
          + " Default: ${DEFAULT-VALUE}.")
  String precision;

  MatrixPrecision resolve() {
    return MatrixPrecision.forTraining(precision);
  }

  /**
   * {@code --precision} of the commands that score or encode with a model (see {@link ModelLoader}): fp32 by
   * default, which changes nothing; any other format runs the model with DJL/PyTorch.
   */
  static final class Inference {
    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16|int8",
        converter = Parser.class,
        description = {"Matrix products of the model's encoders: fp32, or bf16 / fp16 (products in that format,"
          + " accumulated in float32) or int8 (PyTorch's dynamically quantised linear projections), which run the",
          "model with DJL/PyTorch rather than ONNX Runtime; refused for an ONNX graph and for hashing:<dim>."
          + " Default: ${DEFAULT-VALUE}."})
    MatrixPrecision precision;
  }

  /** Parses {@code --precision} by {@link MatrixPrecision#parse}; picocli names the option in the error. */
  static final class Parser implements ITypeConverter<MatrixPrecision> {
    @Override
    public MatrixPrecision convert(String value) {
      try {
        return MatrixPrecision.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}

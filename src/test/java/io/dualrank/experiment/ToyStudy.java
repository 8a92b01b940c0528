package io.dualrank.experiment;

import io.dualrank.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A two-step study of tiny random models on the toy data ({@link io.dualrank.ToyDataset}), for pipeline tests. */
final class ToyStudy {
  private ToyStudy() {}

  /**
   * Writes {@code dir/NAME.yaml}: one-hot students only, the dataset's candidates, at most {@code maxTrainQueries}
   * train queries (0: all); {@code teacherExtra} is added to the teacher's settings (e.g. {@code ", startFrom: F"}).
   */
  static Path config(Path dir, String name, Path definition, int maxTrainQueries, String teacherExtra)
      throws IOException {
    String model = "maxQueryLength: 8, maxLength: 24, normalize: false, temperature: 1, learnTemperature: false,"
        + " steps: 2, batch: 2, negatives: 2, crossQueryNegatives: 0, lr: 1.0e-3, warmup: 0.1";
    return Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\ndataset: " + definition + "\n"
        + """
        seed: 5
        candidates: dataset
        bm25: {k1: 0.9, b: 0.4, fields: flat}
        trainDepth: 6
        rerankDepth: 6
        """
        + "maxTrainQueries: " + maxTrainQueries + "\n"
        + """
        maxTestQueries: 0
        encoder: random:1x16x2
        """
        + "teacher: {pooling: cls, " + model + teacherExtra + "}\n"
        + "student: {pooling: mean, " + model + "}\n"
        + """
        losses: [onehot]
        inBatchOnehot: false
        distillation: {teacherTemperature: 1, studentTemperature: 1, alpha: 0}
        evaluation: {every: 2, queries: 2, depth: 6, finalTrainQueries: 4}
        capacity: {dimensions: [1, 2], queries: 2, documents: 4, steps: 5, learningRate: 0.05, loss: mse}
        """);
  }

  /** Runs the study of {@code config} on the data under {@code root}, its stages in {@code work}. */
  static ReproductionPipeline.Outcome reproduce(Path config, Path root, Path work) throws IOException {
    ExperimentConfig cfg = ExperimentConfig.read(config);
    return new ReproductionPipeline(cfg, Dataset.load(Path.of(cfg.dataset()), root), work, "test").run();
  }
}

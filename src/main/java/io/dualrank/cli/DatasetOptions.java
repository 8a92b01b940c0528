package io.dualrank.cli;

import io.dualrank.data.Dataset;
import picocli.CommandLine.Option;

/** The options that name a dataset: {@code --dataset NAME|FILE.yaml} and {@code --data DIR}. */
final class DatasetOptions {
  @Option(names = "--dataset", required = true, paramLabel = "NAME",
      description = "Dataset: a name under datasets/ (nq-sample, msmarco-dl, scifact, squad, nq) or a definition"
          + " file *.yaml.")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data root the definition's paths are relative to. Default: $DUALRANK_DATA, else ../shared/data.")
  String dataRoot;

  /** The dataset, validated ({@link Dataset#validate}: cheap next to any command's own reading). */
  Dataset load() {
    Dataset ds = Dataset.named(dataset, Dataset.dataRoot(dataRoot));
    ds.validate();
    return ds;
  }
}

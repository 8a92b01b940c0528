package io.dualrank.model;

import io.dualrank.data.Document;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.Texts;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A CA or DE that scores query and document texts and re-ranks runs, whether trainable ({@link RankerModel}) or
 * an ONNX graph run as is ({@link OnnxDirectory}): what re-ranking, teacher scoring and evaluation take.
 */
public interface ScoringModel extends Ranker, TextScorer {
  /** Whether this model scores pairs jointly (CA) or inner products of embeddings (DE). */
  Architecture architecture();

  @Override
  default float[] score(String query, List<Document> documents) {
    return scoreTexts(query, documents.stream().map(Document::fullText).toList());
  }

  /**
   * Sets the number format of the model's matrix products for inference ({@link MatrixPrecision}; float32
   * until set). Only a model run by DJL/PyTorch has such a choice: this default accepts {@link
   * MatrixPrecision#FP32} alone (an ONNX graph run as is by ONNX Runtime, or the hashing encoder).
   *
   * @throws IllegalArgumentException for any other precision where the model cannot run in it
   */
  default void setMatrixPrecision(MatrixPrecision precision) {
    if (precision != MatrixPrecision.FP32) {
      throw new IllegalArgumentException("it runs in float32 only (an ONNX graph run as is by ONNX Runtime, or the"
          + " hashing encoder): precision '" + precision.cliName() + "' needs a model with weights run by DJL/PyTorch");
    }
  }

  /**
   * Re-ranks each query's candidates by this model's scores. {@code queries} and {@code documents} map ids
   * to texts; every candidate must have a text. With {@code showProgress}, a progress line on stderr.
   */
  default Run rerank(Run candidates, Map<String, String> queries, Map<String, String> documents, String tag,
      boolean showProgress) {
    Progress progress = showProgress
        ? Progress.stderr("rerank", candidates.queryIds().size(), "queries") : Progress.silent();
    Run.Builder run = new Run.Builder(tag);
    int done = 0;
    for (String qid : candidates.queryIds()) {
      List<ScoredDoc> list = candidates.ranking(qid);
      float[] s = scoreTexts(Texts.require(queries, qid, "query"),
          list.stream().map(d -> Texts.require(documents, d.docId(), "document")).toList());
      for (int i = 0; i < s.length; i++) {
        run.add(qid, list.get(i).docId(), s[i]);
      }
      progress.advance(++done);
    }
    return run.build();
  }

  /**
   * The model in {@code dir}: an ensemble of two ({@link EnsembleModel}), an ONNX graph's directory ({@link
   * OnnxDirectory}, run by ONNX Runtime on every core), else a dualrank or Hugging Face one ({@link
   * RankerModel#load}).
   */
  static ScoringModel load(Path dir) throws IOException {
    if (EnsembleModel.isEnsembleDirectory(dir)) {
      return EnsembleModel.load(dir);
    }
    return OnnxDirectory.isOnnxDirectory(dir) ? OnnxDirectory.load(dir, Runtime.getRuntime().availableProcessors())
        : RankerModel.load(dir);
  }
}

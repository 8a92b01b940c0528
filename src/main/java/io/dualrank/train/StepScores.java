package io.dualrank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dualrank.data.TeacherScores;
import io.dualrank.data.Texts;
import io.dualrank.model.DualEncoderRanker;
import io.dualrank.model.RankerModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The loss inputs of one step (the convention of {@link io.dualrank.loss.RankingLoss}): student scores
 * {@code [B, W]} with each query's positive in column 0, the teacher's scores of the same cells (or null),
 * and the validity mask. Groups with fewer negatives are padded (masked cells). With in-batch negatives
 * (DE only) a row holds the query's own n documents, then every other document of the batch, masked where
 * it is padding or one of the query's own documents.
 */
record StepScores(NDArray student, NDArray teacher, NDArray mask) {

  static StepScores of(RankerModel model, ParameterStore ps, NDManager scratch, List<TrainingGroup> groups,
      TrainingData data, boolean inBatchNegatives, boolean needsTeacher) {
    int b = groups.size();
    int n = 1 + groups.stream().mapToInt(g -> g.negatives().size()).max().orElse(0);
    List<String> queries = new ArrayList<>(b);
    List<List<String>> docIds = new ArrayList<>(b);
    List<List<String>> texts = new ArrayList<>(b);
    boolean[] valid = new boolean[b * n];
    for (int i = 0; i < b; i++) {
      TrainingGroup g = groups.get(i);
      queries.add(Texts.require(data.queryTexts(), g.queryId(), "query"));
      List<String> ids = new ArrayList<>(g.documents());
      for (int j = 0; j < n; j++) {
        valid[i * n + j] = j < ids.size();
      }
      while (ids.size() < n) {
        ids.add(g.positive()); // padding, masked
      }
      docIds.add(ids);
      texts.add(ids.stream().map(d -> Texts.require(data.documentTexts(), d, "document")).toList());
    }
    NDArray teacher = needsTeacher ? teacherScores(groups, docIds, valid, n, data.teacher(), scratch) : null;
    if (!inBatchNegatives) {
      NDArray student = model.listScores(ps, scratch, queries, texts, true);
      return new StepScores(student, teacher, scratch.create(valid, new Shape(b, n)));
    }
    if (!(model instanceof DualEncoderRanker de)) {
      throw new IllegalArgumentException("in-batch negatives need a dual encoder");
    }
    int width = b * n;
    NDArray all = de.batchScores(ps, scratch, queries, texts.stream().flatMap(List::stream).toList(), true);
    long[] order = new long[b * width];
    boolean[] mask = new boolean[b * width];
    for (int i = 0; i < b; i++) {
      Set<String> own = new HashSet<>(docIds.get(i));
      int c = 0;
      for (int j = 0; j < n; j++, c++) {
        order[i * width + c] = (long) i * n + j;
        mask[i * width + c] = valid[i * n + j];
      }
      for (int k = 0; k < b; k++) {
        if (k == i) {
          continue;
        }
        for (int j = 0; j < n; j++, c++) {
          order[i * width + c] = (long) k * n + j;
          mask[i * width + c] = valid[k * n + j] && !own.contains(docIds.get(k).get(j));
        }
      }
    }
    NDArray student = all.gather(scratch.create(order, new Shape(b, width)), 1);
    return new StepScores(student, teacher, scratch.create(mask, new Shape(b, width)));
  }

  private static NDArray teacherScores(List<TrainingGroup> groups, List<List<String>> docIds, boolean[] valid,
      int n, TeacherScores teacher, NDManager scratch) {
    if (teacher == null) {
      throw new IllegalArgumentException("this loss distils a teacher: give teacher scores");
    }
    float[] t = new float[groups.size() * n];
    for (int i = 0; i < groups.size(); i++) {
      String qid = groups.get(i).queryId();
      for (int j = 0; j < n; j++) {
        if (valid[i * n + j]) {
          String doc = docIds.get(i).get(j);
          t[i * n + j] = (float) teacher.score(qid, doc).orElseThrow(() -> new IllegalArgumentException(
              "the teacher scores lack the pair (" + qid + ", " + doc + "): score the training candidates and"
                  + " positives with `dualrank teacher-score`"));
        }
      }
    }
    return scratch.create(t, new Shape(groups.size(), n));
  }
}

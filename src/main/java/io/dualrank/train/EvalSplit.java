package io.dualrank.train;

import io.dualrank.data.Run;
import io.dualrank.eval.EvalResult;
import io.dualrank.eval.SampledEvaluator;
import io.dualrank.model.RankerModel;
import java.util.HashSet;
import java.util.Map;

/**
 * A split evaluated during training: a fixed sample of its judged queries, whose top candidates the model
 * re-ranks; the measures are MRR@10 (primary) and nDCG@10 by default (see {@link SampledEvaluator}).
 */
public record EvalSplit(String name, SampledEvaluator evaluator, Run candidates, Map<String, String> queryTexts,
    Map<String, String> documentTexts) {

  /** The split with its candidates cut to the sampled queries and the top {@code depth}. */
  public static EvalSplit of(String name, SampledEvaluator evaluator, Run candidates, int depth,
      Map<String, String> queryTexts, Map<String, String> documentTexts) {
    return new EvalSplit(name, evaluator, candidates.restrictTo(new HashSet<>(evaluator.queryIds())).topK(depth),
        queryTexts, documentTexts);
  }

  /** Re-ranks the sampled candidates with the model and evaluates. */
  public EvalResult evaluate(RankerModel model) {
    return evaluator.evaluate(model.rerank(candidates, queryTexts, documentTexts, name, false));
  }
}

package io.dualrank.train;

import io.dualrank.data.Dataset;
import io.dualrank.data.Document;
import io.dualrank.data.Qrels;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TeacherScores;
import io.dualrank.eval.SampledEvaluator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dataset's train and test splits as re-ranking tasks: judgments, candidate runs cut to a depth, and the
 * texts of every query and document the runs (and the train positives) can touch — loaded in one pass over
 * the corpus, so only those documents are held in memory.
 */
public final class RankingTask {
  private final Dataset dataset;
  private final Qrels trainQrels;
  private final Qrels testQrels;
  private final Run trainCandidates;
  private final Run testCandidates;
  private final Map<String, String> queryTexts = new LinkedHashMap<>();
  private final Map<String, String> documentTexts = new LinkedHashMap<>();

  private RankingTask(Dataset dataset, Qrels trainQrels, Qrels testQrels, Run trainCandidates, Run testCandidates) {
    this.dataset = dataset;
    this.trainQrels = trainQrels;
    this.testQrels = testQrels;
    this.trainCandidates = trainCandidates;
    this.testCandidates = testCandidates;
  }

  /**
   * Loads the splits; candidates are the given runs cut to the top {@code depth} and to the split's judged
   * queries.
   */
  public static RankingTask load(Dataset dataset, String trainSplit, Run trainCandidates, String testSplit,
      Run testCandidates, int depth) {
    Qrels trainQrels = dataset.qrels(trainSplit);
    Qrels testQrels = dataset.qrels(testSplit);
    RankingTask task = new RankingTask(dataset, trainQrels, testQrels,
        trainCandidates.restrictTo(trainQrels.queryIds()).topK(depth),
        testCandidates.restrictTo(testQrels.queryIds()).topK(depth));
    Set<String> qids = new HashSet<>(trainQrels.queryIds());
    qids.addAll(testQrels.queryIds());
    for (Query q : dataset.queries().load(qids).values()) {
      task.queryTexts.put(q.id(), q.text());
    }
    Set<String> docIds = new HashSet<>();
    for (Run run : List.of(task.trainCandidates, task.testCandidates)) {
      for (String qid : run.queryIds()) {
        run.ranking(qid).stream().map(ScoredDoc::docId).forEach(docIds::add);
      }
    }
    // Judged documents may lie outside a partial corpus (msmarco-dl holds only the runs' passages).
    var corpusIds = dataset.corpus().ids();
    for (String qid : trainQrels.queryIds()) {
      trainQrels.relevant(qid, 1).stream().filter(corpusIds::contains).forEach(docIds::add);
    }
    for (Document d : dataset.corpus().load(docIds).values()) {
      task.documentTexts.put(d.id(), d.fullText());
    }
    return task;
  }

  public Dataset dataset() {
    return dataset;
  }

  public Qrels trainQrels() {
    return trainQrels;
  }

  public Qrels testQrels() {
    return testQrels;
  }

  public Run trainCandidates() {
    return trainCandidates;
  }

  public Run testCandidates() {
    return testCandidates;
  }

  public Map<String, String> queryTexts() {
    return queryTexts;
  }

  public Map<String, String> documentTexts() {
    return documentTexts;
  }

  /** The relevance level of the dataset (relevant = grade at least this). */
  public int relevanceLevel() {
    return dataset.relevanceLevel();
  }

  /**
   * The training data: groups from the train candidates (positives: grade at least {@code s.minGrade()};
   * positives absent from the corpus are skipped), with the teacher's scores for distillation (or null).
   */
  public TrainingData trainingData(TrainSettings s, TeacherScores teacher) {
    Qrels.Builder known = new Qrels.Builder();
    for (String qid : trainQrels.queryIds()) {
      trainQrels.judgments(qid).forEach((d, g) -> {
        if (documentTexts.containsKey(d)) {
          known.put(qid, d, g);
        }
      });
    }
    GroupSampler sampler =
        new GroupSampler(known.build(), trainCandidates, s.minGrade(), s.negatives(), s.crossQueryNegatives(),
            s.candidateDepth(), s.seed());
    return new TrainingData(sampler, queryTexts, documentTexts, teacher);
  }

  /** A sample of train queries and of test queries, each re-ranked to depth {@code s.evalDepth()}. */
  public List<EvalSplit> evalSplits(TrainSettings s) {
    return List.of(evalSplit("train", trainQrels, trainCandidates, s), evalSplit("test", testQrels, testCandidates, s));
  }

  private EvalSplit evalSplit(String name, Qrels qrels, Run candidates, TrainSettings s) {
    Qrels withCandidates = qrels.restrictTo(candidates.queryIds());
    SampledEvaluator ev = new SampledEvaluator(withCandidates, relevanceLevel(), Trainer.MEASURES, s.evalQueries(),
        s.seed());
    return EvalSplit.of(name, ev, candidates, s.evalDepth(), queryTexts, documentTexts);
  }
}

import io.dualrank.analysis.CandidateScoreMatrix;
import io.dualrank.analysis.EmbeddingCapacityFit;
import io.dualrank.data.TeacherScores;
import io.dualrank.loss.RankingLosses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether the capacity sweep's fits converge: the sweep ({@code EmbeddingCapacityFit}, loss mse, seed 42; raw, and L2
 * with τ learned from 0.05) of a study's capacity matrix (a {@code capacity-scores-*} stage's {@code scores.txt}: every
 * query × every pool document) at several step counts and learning rates, each k's relative error printed under the
 * Eckart–Young floor of the same k:
 *
 * <pre>source bin/native-env; java -Dai.djl.offline=true -cp "target/dualrank.jar:target/lib/*" \
 *   bench/CapacityConvergence.java work/squad/capacity-scores-KEY/scores.txt 400@0.05,2000@0.05</pre>
 */
public final class CapacityConvergence {
  public static void main(String[] args) throws Exception {
    TeacherScores read = TeacherScores.read(Path.of(args[0])); // in file order, as the fits' seeded rows were
    List<String> queries = List.copyOf(read.queryIds());
    List<String> documents = List.copyOf(read.scores(queries.get(0)).keySet());
    float[][] scores = new float[queries.size()][documents.size()];
    for (int q = 0; q < queries.size(); q++) {
      Map<String, Double> row = read.scores(queries.get(q));
      for (int d = 0; d < documents.size(); d++) {
        scores[q][d] = row.get(documents.get(d)).floatValue();
      }
    }
    CandidateScoreMatrix matrix = CandidateScoreMatrix.full(scores);
    int[] dimensions = {1, 4, 16, 64, 128, 256};
    StringBuilder header = new StringBuilder("k");
    StringBuilder floor = new StringBuilder("Eckart-Young");
    for (int k : dimensions) {
      header.append('\t').append(k);
    }
    for (var bound : EmbeddingCapacityFit.eckartYoung(matrix, dimensions)) {
      floor.append(String.format("\t%.3f", bound.rmse() / bound.teacherSpread()));
    }
    System.out.println(header + "\n" + floor);
    for (String run : args[1].split(",")) {
      int steps = Integer.parseInt(run.split("@")[0]);
      double rate = Double.parseDouble(run.split("@")[1]);
      for (boolean l2 : new boolean[] {false, true}) {
        var config = EmbeddingCapacityFit.Config.of(RankingLosses.create("mse", 0)).withSteps(steps, rate).withSeed(42);
        long start = System.nanoTime();
        var results = EmbeddingCapacityFit.sweep(matrix, l2 ? config.withNormalisation(0.05, true) : config,
            dimensions);
        StringBuilder line = new StringBuilder(String.format("%s %d steps, lr %s", l2 ? "L2" : "raw", steps, rate));
        for (var r : results) {
          line.append(String.format("\t%.3f", r.calibratedRmse() / r.teacherSpread()));
        }
        System.out.println(line + String.format("\t(%.0f s)", (System.nanoTime() - start) / 1e9));
      }
    }
  }
}

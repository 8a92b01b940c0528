package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.ToyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teacher.maxTrainQueries}: the CA trains on its own, larger sample of train queries, which holds the
 * students' sample; the students, and the stages keyed like theirs, are those of the study without it.
 */
class TeacherSampleStudyTest {
  @TempDir Path tmp;

  private Path config(Path definition, String teacherSample) throws IOException {
    return ToyStudy.config(tmp, "toy", definition, 2,
        teacherSample == null ? "" : ", maxTrainQueries: " + teacherSample);
  }

  private ReproductionPipeline.Outcome reproduce(Path config, Path root) throws IOException {
    return ToyStudy.reproduce(config, root, tmp.resolve("work"));
  }

  private List<Path> stages(String prefix) throws IOException {
    try (Stream<Path> dirs = Files.list(tmp.resolve("work/toy"))) {
      return dirs.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  private static int trainQueries(Path stage) throws IOException {
    return new ObjectMapper().readTree(stage.resolve("provenance.json").toFile()).get("trainQueries").asInt();
  }

  @Test
  void theTeacherTrainsOnItsOwnLargerSampleAndTheStudentsOnTheStudys() throws IOException {
    Path definition = ToyDataset.writeDefinition(tmp.resolve("toy-def.yaml"));
    Path root = ToyDataset.writeData(tmp.resolve("data"));

    reproduce(config(definition, null), root);
    Path studySampleTeacher = stages("ca-").get(0);
    assertEquals(2, trainQueries(studySampleTeacher), "without it: the study's 2 train queries");

    ReproductionPipeline.Outcome own = reproduce(config(definition, "0"), root);
    List<Path> teachers = stages("ca-");
    assertEquals(2, teachers.size(), "another teacher stage: " + teachers);
    Path allTeacher = teachers.stream().filter(p -> !p.equals(studySampleTeacher)).findFirst().orElseThrow();
    assertEquals(4, trainQueries(allTeacher), "all 4 judged train queries of the toy data");
    assertTrue(own.stages().computed().stream().noneMatch(s -> s.startsWith("de-onehot-")),
        "the student is the study's, reused: " + own.stages().computed());
    assertEquals(2, trainQueries(stages("de-onehot-").get(0)));
    assertEquals(2, own.task().trainCandidates().queryIds().size(), "the study's task keeps its sample");

    // what each model trained on: the teacher's 2 steps x 2 drew its own 4 queries, the student the study's 2
    assertEquals(4, model(own, "ca").trainedOn().size(), "the teacher's draws come from its own sample");
    assertEquals(own.task().trainCandidates().queryIds(), model(own, "de-onehot").trainedOn());
    assertEquals(java.util.Set.of(), model(own, "bm25").trainedOn(), "not trained in the study");
    Report report = new Report(own, tmp.resolve("report"), "test");
    for (String m : List.of("ca", "de-onehot")) {
      assertEquals(report.figures().get(m + "/train/ndcg_cut_10"), report.figures().get(m + "/trained-on/ndcg_cut_10"),
          m + " trained on both sampled train queries");
    }
    assertFalse(report.figures().containsKey("bm25/trained-on/ndcg_cut_10"));
    report.write();
    assertTrue(Files.readString(tmp.resolve("report/README.md")).contains("| `de-onehot` | 2 of 2 |"));
  }

  private static ReproductionPipeline.ModelResult model(ReproductionPipeline.Outcome o, String name) {
    return o.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aLargerSampleHoldsTheSmallerOneDrawnWithTheSameSeed() {
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> "q" + i).toList();
    List<String> small = ReproductionPipeline.sample(ids, 40, 42);
    List<String> large = ReproductionPipeline.sample(ids, 300, 42);
    assertEquals(40, small.size());
    assertTrue(large.containsAll(small), "nested samples");
    assertFalse(ReproductionPipeline.sample(ids, 300, 43).containsAll(small), "another seed draws another sample");
  }
}

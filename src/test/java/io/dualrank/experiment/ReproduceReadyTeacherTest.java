package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.SharedData;
import io.dualrank.cli.DualRank;
import io.dualrank.model.BertConfig;
import io.dualrank.model.HuggingFaceExport;
import io.dualrank.model.OnnxExport;
import io.dualrank.model.RankerConfig;
import io.dualrank.model.RankerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An experiment whose teacher is a ready cross-encoder (teacher.model), a Hugging Face directory or an ONNX
 * graph's: no teacher is trained, the ready one is evaluated and scores the students' candidates; the stages
 * depending on it are keyed by its files.
 */
class ReproduceReadyTeacherTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"hf", "onnx"})
  void readyTeacherReplacesTheTrainedOne(String format) throws Exception {
    Path data = SharedData.root();
    Path teacher = tmp.resolve("teacher-" + format);
    writeTeacher(teacher, format, 3);
    String yaml = Files.readString(Path.of("experiments/msmarco-dl.yaml"))
        .replaceFirst("(?m)^teacher:.*$", "teacher:\n  model: " + teacher);
    Path config = Files.writeString(tmp.resolve("ready.yaml"), yaml);
    Path work = tmp.resolve("work");
    StringWriter out = new StringWriter();
    var cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int code = cl.execute("reproduce", "--config", config.toString(), "--quick", "--data", data.toString(),
        "--work", work.toString(), "--report", tmp.resolve("report").toString());
    assertEquals(0, code, out.toString());

    List<String> stages;
    try (Stream<Path> s = Files.list(work.resolve("msmarco-dl-quick"))) {
      stages = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(stages.stream().noneMatch(name -> name.startsWith("ca-")), "no teacher trained: " + stages);
    assertTrue(stages.stream().anyMatch(name -> name.startsWith("teacher-scores-")), stages.toString());
    Map<?, ?> figures = new ObjectMapper().readValue(tmp.resolve("report/figures.json").toFile(), Map.class);
    double ca = ((Number) figures.get("ca/test/ndcg_cut_10")).doubleValue();
    assertTrue(ca >= 0 && ca <= 1, "ca/test/ndcg_cut_10 = " + ca);
    assertTrue(Files.readString(tmp.resolve("report/README.md")).contains("teacher: the ready model `" + teacher + "`"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hf", "onnx"})
  void theReadyTeachersKeyFollowsItsFiles(String format) throws IOException {
    Path teacher = tmp.resolve("t");
    writeTeacher(teacher, format, 1);
    String first = StageCache.modelKey(teacher);
    assertEquals(first, StageCache.modelKey(teacher));
    writeTeacher(teacher, format, 2);
    assertNotEquals(first, StageCache.modelKey(teacher), "other weights, another key");
  }

  /**
   * A tiny random CA with MiniLM's vocabulary, exported as a BertForSequenceClassification directory ({@code
   * hf}) or as an ONNX graph ({@code onnx}).
   */
  private static void writeTeacher(Path dir, String format, long seed) throws IOException {
    RankerConfig config = RankerConfig.crossEncoder(RankerConfig.RANDOM_INIT, "all-minilm-l6-v2",
        BertConfig.of(30522, 32, 1, 2), 16, 96, io.dualrank.model.Pooling.CLS);
    try (RankerModel model = RankerModel.create(config, seed)) {
      if (format.equals("hf")) {
        HuggingFaceExport.write(model, dir);
      } else {
        OnnxExport.write(model, dir);
      }
    }
  }
}

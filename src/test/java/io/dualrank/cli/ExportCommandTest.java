package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** init → export → init from the export: each provenance.json keeps the one before it as its source. */
class ExportCommandTest {
  @TempDir Path tmp;

  private static int run(StringWriter err, String... args) {
    CommandLine cl = DualRank.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void provenanceSurvivesExportAndImport() throws IOException {
    Path model = tmp.resolve("ca");
    Path exported = tmp.resolve("ca-hf");
    Path student = tmp.resolve("de");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "init", "--model", "ca", "--init", "random:1x32x2", "--max-length", "48", "--seed", "5",
        "--out", model.toString()), err.toString());
    assertEquals(0, run(err, "export", "--model", model.toString(), "--format", "hf", "--out", exported.toString()),
        err.toString());
    assertTrue(Files.isRegularFile(exported.resolve("model.safetensors")));
    assertEquals(0, run(err, "init", "--model", "de", "--init", exported.toString(), "--max-length", "48",
        "--out", student.toString()), err.toString());

    ObjectMapper json = new ObjectMapper();
    JsonNode original = json.readTree(model.resolve("provenance.json").toFile());
    JsonNode export = json.readTree(exported.resolve("provenance.json").toFile());
    JsonNode imported = json.readTree(student.resolve("provenance.json").toFile());
    assertTrue(export.path("command").asText().startsWith("dualrank export"), export.toString());
    assertEquals(original, export.path("source"));
    assertEquals(export, imported.path("source"));

    Path onnx = tmp.resolve("ca-onnx");
    assertEquals(0, run(err, "export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString()),
        err.toString());
    assertTrue(Files.size(onnx.resolve("model.onnx")) > 0 && Files.isRegularFile(onnx.resolve("tokenizer.json")));
    assertEquals(original, json.readTree(onnx.resolve("provenance.json").toFile()).path("source"));
  }

  @Test
  void unknownFormatIsAClearError() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "export", "--model", tmp.toString(), "--format", "tflite", "--out", tmp.resolve("o").toString()));
    assertTrue(err.toString().contains("--format must be"), err.toString());
  }
}

package io.dualrank.cli;

import io.dualrank.model.HuggingFaceExport;
import io.dualrank.model.OnnxExport;
import io.dualrank.model.RankerModel;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Provenance;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank export}: a model directory as a Hugging Face directory or an ONNX graph for other tools. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes a model for other tools.",
      "--format hf: a Hugging Face directory (safetensors, config.json, tokenizer",
      "  files): a CA as BertForSequenceClassification with 1 label, a DE as",
      "  sentence-transformers modules; and onnx/model.onnx, the graph with",
      "  transformers' output names (a CA's logits, a DE's last_hidden_state and",
      "  sentence_embedding), for transformers.js and other ONNX clients.",
      "--format onnx: model.onnx (opset 17, dynamic batch and sequence axes) and the",
      "  tokenizer files: inputs input_ids, attention_mask, token_type_ids; output",
      "  a DE's embedding or a CA's score.",
      "provenance.json keeps the model's own as its source."})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "A dualrank model directory (or a Hugging Face one).")
  Path model;

  @Option(names = "--format", required = true, paramLabel = "hf|onnx",
      description = "hf: Hugging Face directory; onnx: standalone ONNX graph.")
  String format;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced atomically).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("hf") && !format.equals("onnx")) {
      throw new IllegalArgumentException("--format must be hf or onnx, got " + format);
    }
    var provenance = Provenance.withSource(Provenance.of(CommandLines.typed(spec), null), model);
    try (RankerModel m = RankerModel.load(model)) {
      AtomicFiles.writeDirectory(out, dir -> {
        if (format.equals("hf")) {
          HuggingFaceExport.write(m, dir);
        } else {
          OnnxExport.write(m, dir);
        }
        AtomicFiles.writeFile(dir.resolve(Provenance.FILE), tmp -> new com.fasterxml.jackson.databind.ObjectMapper()
            .writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), provenance));
      });
    }
    System.err.println("export: " + format + " model written to " + out);
    return 0;
  }
}

package io.dualrank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter, "Decoupled weight decay regularization", ICLR 2019) whose state can be
 * saved and restored, so a resumed run continues exactly where it stopped. For each parameter θ with
 * gradient g at update t (1-based):
 *
 * <pre>
 *   m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 *   θ ← θ − lr·( m/(1−β1^t) / (√(v/(1−β2^t)) + ε) + λ·θ )
 * </pre>
 *
 * with weight decay λ skipped for biases and LayerNorm parameters (names ending in {@code bias},
 * {@code gamma} or {@code beta}), as in BERT fine-tuning. Gradients are zeroed after each step.
 */
public final class AdamW implements AutoCloseable {
  private final List<Parameter> parameters;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private int updates;

  public AdamW(List<Parameter> parameters, float beta1, float beta2, float epsilon, float weightDecay,
      NDManager parent) {
    this.parameters = parameters;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
    for (Parameter p : parameters) {
      NDArray w = p.getArray();
      firstMoments.put(p.getId(), manager.zeros(w.getShape(), w.getDataType()));
      secondMoments.put(p.getId(), manager.zeros(w.getShape(), w.getDataType()));
    }
  }

  /** Default BERT fine-tuning settings: β = (0.9, 0.999), ε = 1e-8, λ = 0.01. */
  public static AdamW forFineTuning(List<Parameter> parameters, NDManager parent) {
    return new AdamW(parameters, 0.9f, 0.999f, 1e-8f, 0.01f, parent);
  }

  /** Number of updates done so far (restored by {@link #load}). */
  public int updates() {
    return updates;
  }

  /** Applies one update with learning rate {@code lr} from the parameters' current gradients, then zeroes them. */
  public void step(float lr) {
    updates++;
    float c1 = 1 - (float) Math.pow(beta1, updates);
    float c2 = 1 - (float) Math.pow(beta2, updates);
    for (Parameter p : parameters) {
      NDArray w = p.getArray();
      NDArray m = firstMoments.get(p.getId());
      NDArray v = secondMoments.get(p.getId());
      // Every temporary is closed here: a step must not leave native memory behind.
      try (NDArray g = w.getGradient()) {
        try (NDArray gScaled = g.mul(1 - beta1); NDArray gSquared = g.square()) {
          m.muli(beta1).addi(gScaled);
          v.muli(beta2).addi(gSquared.muli(1 - beta2));
        }
        try (NDArray update = m.div(c1); NDArray vHat = v.div(c2); NDArray denominator = vHat.sqrt()) {
          update.divi(denominator.addi(epsilon));
          if (decays(p.getName())) {
            try (NDArray decay = w.mul(weightDecay)) {
              update.addi(decay);
            }
          }
          w.subi(update.muli(lr));
        }
        g.subi(g);
      }
    }
  }

  private static boolean decays(String name) {
    return !(name.endsWith("bias") || name.endsWith("gamma") || name.endsWith("beta"));
  }

  /** Writes the moments and the update count atomically. */
  public void save(Path file) throws IOException {
    NDList state = new NDList();
    for (Parameter p : parameters) {
      state.add(firstMoments.get(p.getId()));
      state.add(secondMoments.get(p.getId()));
    }
    NDArray count = manager.create(new int[] {updates});
    state.add(count);
    byte[] bytes = state.encode();
    count.close();
    AtomicFiles.writeFile(file, tmp -> Files.write(tmp, bytes));
  }

  /** Restores the state written by {@link #save} for the same (float32) parameter list. */
  public void load(Path file) throws IOException {
    try (NDManager scratch = manager.newSubManager()) {
      NDList state = NDList.decode(scratch, Files.readAllBytes(file));
      if (state.size() != 2 * parameters.size() + 1) {
        throw new IOException(file + ": optimizer state holds " + state.size()
            + " arrays, expected " + (2 * parameters.size() + 1) + " for this model");
      }
      for (int i = 0; i < parameters.size(); i++) {
        String id = parameters.get(i).getId();
        firstMoments.get(id).set(state.get(2 * i).toFloatArray());
        secondMoments.get(id).set(state.get(2 * i + 1).toFloatArray());
      }
      updates = state.get(state.size() - 1).toIntArray()[0];
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}

package io.dualrank.spark;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;

/**
 * The models of one executor JVM, loaded lazily and kept for the JVM's life, keyed by model directory: a task
 * borrows one for its partition and returns it, so a model is loaded at most once per task slot of the
 * executor (once per executor with one core per executor) and reused by every later task, never per record
 * or per task. Models are not thread-safe (see {@code DenseRetriever}), hence a lease per running task
 * instead of one shared instance.
 */
final class ModelPool {
  private static final Map<String, Deque<Object>> IDLE = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

  private ModelPool() {}

  /** A model held by one task until {@link Lease#close}. */
  static final class Lease<T> implements AutoCloseable {
    private final String key;
    private final T model;

    private Lease(String key, T model) {
      this.key = key;
      this.model = model;
    }

    T model() {
      return model;
    }

    /** Returns the model to the pool for the next task. */
    @Override
    public void close() {
      IDLE.get(key).push(model);
    }
  }

  /** An idle model of {@code key}, or a new one from {@code load} when every loaded one is in use. */
  @SuppressWarnings("unchecked")
  static <T> Lease<T> borrow(String key, Supplier<T> load) {
    Object idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
    if (idle == null) {
      LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      idle = load.get();
    }
    return new Lease<>(key, (T) idle);
  }

  /**
   * The model of {@code key} for the running task, returned to the pool when the task completes (whether
   * it succeeded or failed), so that a partition's output can be computed lazily.
   */
  static <T> T forTask(String key, Supplier<T> load) {
    Lease<T> lease = borrow(key, load);
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("forTask called outside a Spark task");
    }
    task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> lease.close());
    return lease.model();
  }

  /** How many models of {@code key} this JVM has loaded. */
  static int loads(String key) {
    AtomicInteger n = LOADS.get(key);
    return n == null ? 0 : n.get();
  }
}

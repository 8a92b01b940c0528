package io.dualrank.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/** Counts the tasks of a local session that ended otherwise than successfully. */
final class TaskFailures extends SparkListener {
  private final AtomicInteger failed = new AtomicInteger();

  static TaskFailures listen(SparkSession spark) {
    TaskFailures listener = new TaskFailures();
    spark.sparkContext().addSparkListener(listener);
    return listener;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.reason() != Success$.MODULE$) {
      failed.incrementAndGet();
    }
  }

  /** Failed tasks so far (listener events arrive asynchronously: waits, bounded, for them to drain). */
  int count(SparkSession spark) throws java.util.concurrent.TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty(10_000);
    return failed.get();
  }

  void stop(SparkSession spark) {
    spark.sparkContext().removeSparkListener(this);
  }
}

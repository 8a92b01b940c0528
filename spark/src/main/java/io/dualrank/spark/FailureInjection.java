package io.dualrank.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;

/**
 * A test hook that makes one task fail once, to check that Spark's retry leaves no trace in the output:
 * with {@code spark.dualrank.failPartition=P}, the first attempt of partition P of the job's model stage
 * throws after yielding its first record, i.e. mid-output. Off (-1) unless that setting is given.
 */
record FailureInjection(int partition) implements Serializable {
  static final String SETTING = "spark.dualrank.failPartition";
  static final FailureInjection OFF = new FailureInjection(-1);

  /** The hook the setting asks for. */
  static FailureInjection fromConf(org.apache.spark.sql.SparkSession spark) {
    return new FailureInjection(Integer.parseInt(spark.conf().get(SETTING, "-1")));
  }

  /** {@code records}, failing as configured when this task is the first attempt of the chosen partition. */
  <T> Iterator<T> apply(Iterator<T> records) {
    TaskContext task = TaskContext.get();
    if (task == null || task.partitionId() != partition || task.attemptNumber() != 0) {
      return records;
    }
    return new Iterator<>() {
      private int yielded;

      @Override
      public boolean hasNext() {
        if (yielded > 0) {
          throw new IllegalStateException("injected failure of partition " + partition + ", attempt 0");
        }
        return records.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        yielded++;
        return records.next();
      }
    };
  }
}

package io.shoplake.common.io;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

/**
 * Measures the rows a write actually wrote, with a Spark {@link Observation} on the written rows:
 * counted by the write's own tasks, so it costs no extra pass. The manifest's rows_written comes
 * from here, not from an earlier count, and a job compares both to catch a plan that changed between
 * them.
 */
public final class ObservedWrite {
  private ObservedWrite() {}

  /**
   * Runs {@code write} on {@code rows} and returns how many rows it wrote. {@code write} must run exactly
   * one Spark action on the rows it is given (an observation is only reported by an action).
   */
  public static long write(Dataset<Row> rows, String name, Consumer<Dataset<Row>> write) {
    Observation observation = new Observation(name);
    write.accept(rows.observe(observation, count(lit(1)).as("rows"), new Column[0]));
    try {
      Object rowsObserved = observation.getAsJava().get("rows");
      return rowsObserved == null ? 0 : ((Number) rowsObserved).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot read the row count of write " + name + ": interrupted", e);
    }
  }

  /** {@link #write}, then fails unless the write saw exactly {@code expected} rows (counted beforehand). */
  public static long writeExpecting(Dataset<Row> rows, String name, long expected, Consumer<Dataset<Row>> write) {
    if (expected == 0) {
      // Nothing to write: the sinks skip their write, no action runs, and an observation would wait forever.
      write.accept(rows);
      return 0;
    }
    long written = write(rows, name, write);
    if (written != expected) {
      throw new IllegalStateException("Cannot confirm the write of " + name + ": counted " + expected
          + " rows to write but the write saw " + written);
    }
    return written;
  }
}

package io.shoplake.common.io;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.LinkedHashMap;
import java.util.Map;
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
  private static final String ROWS = "_rows";

  private ObservedWrite() {}

  /** What a write saw: its row count and the further metrics observed on its rows, by name. */
  public record Observed(long rows, Map<String, Object> metrics) {}

  /**
   * Runs {@code write} on {@code rows} and returns how many rows it wrote. {@code write} must run exactly
   * one Spark action on the rows it is given (an observation is only reported by an action).
   */
  public static long write(Dataset<Row> rows, String name, Consumer<Dataset<Row>> write) {
    return write(rows, name, Map.of(), write).rows();
  }

  /**
   * {@link #write}, observing {@code metrics} (aggregate columns, by name) on the written rows in the same
   * pass: a figure about what was written without a second action.
   */
  public static Observed write(Dataset<Row> rows, String name, Map<String, Column> metrics,
      Consumer<Dataset<Row>> write) {
    Observation observation = new Observation(name);
    Column[] more = metrics.entrySet().stream().map(m -> m.getValue().as(m.getKey())).toArray(Column[]::new);
    write.accept(rows.observe(observation, count(lit(1)).as(ROWS), more));
    Map<String, Object> observed;
    try {
      observed = new LinkedHashMap<>(observation.getAsJava());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot read the row count of write " + name + ": interrupted", e);
    }
    Object rowsObserved = observed.remove(ROWS);
    return new Observed(rowsObserved == null ? 0 : ((Number) rowsObserved).longValue(), observed);
  }

  /** {@link #write}, then fails unless the write saw exactly {@code expected} rows (counted beforehand). */
  public static long writeExpecting(Dataset<Row> rows, String name, long expected, Consumer<Dataset<Row>> write) {
    return writeExpecting(rows, name, expected, Map.of(), write).rows();
  }

  /**
   * {@link #write} with {@code metrics}, then fails unless the write saw exactly {@code expected} rows. With
   * nothing to write no action runs, and the metrics are absent.
   */
  public static Observed writeExpecting(Dataset<Row> rows, String name, long expected, Map<String, Column> metrics,
      Consumer<Dataset<Row>> write) {
    if (expected == 0) {
      // Nothing to write: the sinks skip their write, no action runs, and an observation would wait forever.
      write.accept(rows);
      return new Observed(0, Map.of());
    }
    Observed written = write(rows, name, metrics, write);
    if (written.rows() != expected) {
      throw new IllegalStateException("Cannot confirm the write of " + name + ": counted " + expected
          + " rows to write but the write saw " + written.rows());
    }
    return written;
  }
}

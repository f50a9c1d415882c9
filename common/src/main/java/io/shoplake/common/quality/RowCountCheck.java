package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.Map;
import org.apache.spark.sql.Column;

/** The dataset has at least {@code min} rows (and at most {@code max}, when set). */
record RowCountCheck(String name, Severity severity, long min, Long max) implements QualityCheck {
  static Column rowCount() {
    return count(lit(1));
  }

  @Override
  public String kind() {
    return "row-count";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    return Map.of(Measurement.ROWS, rowCount());
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long rows = m.rows();
    if (rows < min) {
      return Verdict.fail(rows + " rows, expected at least " + min);
    }
    if (max != null && rows > max) {
      return Verdict.fail(rows + " rows, expected at most " + max);
    }
    return Verdict.pass(rows + " rows");
  }
}

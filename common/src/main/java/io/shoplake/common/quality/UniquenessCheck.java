package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.struct;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * No two rows share a value of {@code columns} (a key). Rows with nulls in the key count as values of
 * their own kind (completeness checks the nulls). Cost: a distinct count, i.e. a shuffle of the keys.
 */
record UniquenessCheck(String name, Severity severity, List<String> columns) implements QualityCheck {
  @Override
  public String kind() {
    return "uniqueness";
  }

  private String distinctId() {
    return "distinct(" + String.join(",", columns) + ")";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    return Map.of(Measurement.ROWS, RowCountCheck.rowCount());
  }

  @Override
  public Map<String, Column> distinctCountMetrics() {
    // A struct, not the columns: count(DISTINCT a, b) would skip every row with a null in the key.
    return Map.of(distinctId(), count_distinct(struct(columns.stream().map(c -> col(c)).toArray(Column[]::new))));
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long rows = m.rows();
    long distinct = m.count(distinctId());
    String key = "(" + String.join(", ", columns) + ")";
    return rows == distinct
        ? Verdict.pass(rows + " rows, each with its own " + key)
        : Verdict.fail((rows - distinct) + " rows repeat a " + key + " value of another row (" + rows + " rows, "
            + distinct + " distinct)");
  }
}

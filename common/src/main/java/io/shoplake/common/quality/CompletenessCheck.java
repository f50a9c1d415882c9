package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;

/** Each of {@code columns} is non-null in at least {@code minRatio} of the rows (1.0: in every row). */
record CompletenessCheck(String name, Severity severity, List<String> columns, double minRatio)
    implements QualityCheck {

  @Override
  public String kind() {
    return "completeness";
  }

  static String nonNullId(String column) {
    return "non_null(" + column + ")";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    Map<String, Column> metrics = new LinkedHashMap<>();
    metrics.put(Measurement.ROWS, RowCountCheck.rowCount());
    columns.forEach(c -> metrics.put(nonNullId(c), count(col(c))));
    return metrics;
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long rows = m.rows();
    if (rows == 0) {
      return Verdict.pass("no rows");
    }
    List<String> incomplete = new ArrayList<>();
    for (String column : columns) {
      long nulls = rows - m.count(nonNullId(column));
      double ratio = (rows - nulls) / (double) rows;
      if (ratio < minRatio) {
        incomplete.add(column + ": " + nulls + " of " + rows + " rows null (" + percent(ratio) + " complete)");
      }
    }
    String required = "required " + percent(minRatio);
    return incomplete.isEmpty()
        ? Verdict.pass(columns + " complete in " + rows + " rows (" + required + ")")
        : Verdict.fail(String.join("; ", incomplete) + "; " + required);
  }

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
  }
}

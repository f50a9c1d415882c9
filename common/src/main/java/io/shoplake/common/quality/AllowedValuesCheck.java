package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Every non-null value of {@code column} (compared as text) is one of {@code values}. The failure names
 * the smallest and largest offending values as examples: two aggregates, no second pass.
 */
record AllowedValuesCheck(String name, Severity severity, String column, List<String> values) implements QualityCheck {
  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public String kind() {
    return "allowed-values";
  }

  private String id(String what) {
    return what + "(" + column + ",#" + Integer.toHexString(values.hashCode()) + ")";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    Column text = col(column).cast("string");
    Column other = text.isNotNull().and(not(text.isin(values.toArray())));
    Map<String, Column> metrics = new LinkedHashMap<>();
    metrics.put(id("not_allowed"), count(when(other, lit(1))));
    metrics.put(id("not_allowed_min"), min(when(other, text)));
    metrics.put(id("not_allowed_max"), max(when(other, text)));
    return metrics;
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long other = m.count(id("not_allowed"));
    if (other == 0) {
      return Verdict.pass(column + " always one of " + values);
    }
    String first = m.text(id("not_allowed_min"));
    String last = m.text(id("not_allowed_max"));
    String examples = first.equals(last) ? "'" + first + "'" : "'" + first + "' ... '" + last + "'";
    return Verdict.fail(other + " rows of " + column + " not one of " + values + " (e.g. " + examples + ")");
  }
}

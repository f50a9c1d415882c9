package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.functions;

/** Every non-null value of a numeric {@code column} lies in [{@code min}, {@code max}]; either bound may be open. */
record RangeCheck(String name, Severity severity, String column, Double min, Double max) implements QualityCheck {
  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public Optional<String> unfitFor(StructType schema) {
    DataType type = schema.apply(column).dataType();
    return type instanceof NumericType ? Optional.empty()
        : Optional.of(name + " (range) needs a numeric column; " + column + " is " + type.simpleString());
  }

  @Override
  public String kind() {
    return "range";
  }

  private String outsideId() {
    return "outside(" + column + "," + min + "," + max + ")";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    Column value = col(column);
    Column outside = lit(false);
    if (min != null) {
      outside = outside.or(value.lt(min));
    }
    if (max != null) {
      outside = outside.or(value.gt(max));
    }
    Map<String, Column> metrics = new LinkedHashMap<>();
    metrics.put(outsideId(), count(when(outside, lit(1))));
    metrics.put("min(" + column + ")", functions.min(value));
    metrics.put("max(" + column + ")", functions.max(value));
    return metrics;
  }

  @Override
  public Verdict evaluate(Measurement m) {
    long outside = m.count(outsideId());
    String range = (min == null ? "(-inf" : "[" + format(min)) + ", " + (max == null ? "+inf)" : format(max) + "]");
    String observed = "observed min " + m.text("min(" + column + ")") + ", max " + m.text("max(" + column + ")");
    return outside == 0
        ? Verdict.pass(column + " within " + range + " (" + observed + ")")
        : Verdict.fail(outside + " rows of " + column + " outside " + range + " (" + observed + ")");
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound);
  }
}

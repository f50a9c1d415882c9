package io.shoplake.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The newest value of the timestamp {@code column} is at most {@code maxAge} older than the reference
 * time (the run's start, or the end of {@code --run-date} so a backfill is judged by its own date).
 * Evaluated from the stored maximum, so an unchanged dataset is judged again without a scan.
 */
record FreshnessCheck(String name, Severity severity, String column, Duration maxAge) implements QualityCheck {
  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public Optional<String> unfitFor(StructType schema) {
    DataType type = schema.apply(column).dataType();
    return type instanceof TimestampType || type instanceof TimestampNTZType || type instanceof DateType
        ? Optional.empty()
        : Optional.of(name + " (freshness) needs a timestamp or date column; " + column + " is " + type.simpleString());
  }

  @Override
  public String kind() {
    return "freshness";
  }

  private String maxId() {
    return "max(" + column + ")";
  }

  @Override
  public Map<String, Column> datasetMetrics() {
    return Map.of(maxId(), max(col(column)));
  }

  @Override
  public Verdict evaluate(Measurement m) {
    String newest = m.text(maxId());
    if (newest == null) {
      return Verdict.fail("no " + column + " value at all (no rows)");
    }
    Duration age = Duration.between(Instant.parse(newest), m.referenceTime());
    String words = "newest " + column + " " + newest + " is " + describe(age) + " old at " + m.referenceTime()
        + " (limit " + describe(maxAge) + ")";
    return age.compareTo(maxAge) > 0 ? Verdict.fail(words) : Verdict.pass(words);
  }

  static String describe(Duration d) {
    if (d.isNegative()) {
      return "-" + describe(d.negated());
    }
    if (d.toDays() >= 2) {
      return d.toDays() + " days" + (d.toHoursPart() == 0 ? "" : " " + d.toHoursPart() + " h");
    }
    if (d.toHours() >= 1) {
      return d.toHours() + " h" + (d.toMinutesPart() == 0 ? "" : " " + d.toMinutesPart() + " min");
    }
    return d.toMinutes() + " min" + (d.toSecondsPart() == 0 ? "" : " " + d.toSecondsPart() + " s");
  }
}

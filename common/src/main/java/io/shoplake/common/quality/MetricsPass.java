package io.shoplake.common.quality;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes the aggregates every check of a dataset needs in one {@code agg} over the dataset (one
 * scan; a uniqueness check adds a shuffle of its keys) and, when a check needs it, one over the
 * quarantine, both in one Spark execution. Values are made JSON-friendly for {@code _dq/}: decimals
 * become doubles, timestamps ISO-8601 instants.
 */
final class MetricsPass {
  private MetricsPass() {}

  /** The columns the checks read that {@code rows} does not have, so the run fails before Spark does. */
  static List<String> missingColumns(Dataset<Row> rows, List<QualityCheck> checks) {
    List<String> present = Arrays.asList(rows.columns());
    return new ArrayList<>(checks.stream().flatMap(c -> c.columns().stream()).filter(c -> !present.contains(c))
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  /** The ids of the aggregates {@code checks} need. */
  static TreeSet<String> metricIds(List<QualityCheck> checks) {
    TreeSet<String> ids = new TreeSet<>();
    checks.forEach(c -> {
      ids.addAll(c.datasetMetrics().keySet());
      ids.addAll(c.quarantineMetrics().keySet());
    });
    return ids;
  }

  /**
   * The metrics {@code checks} need: one aggregation over {@code rows} and, when a check reads the quarantine,
   * one over it, joined into one row so that both run as one Spark execution (one plan, one job).
   */
  static Map<String, Object> measure(Dataset<Row> rows, Optional<Dataset<Row>> quarantine, List<QualityCheck> checks) {
    Map<String, Column> onRows = collect(checks, QualityCheck::datasetMetrics);
    Map<String, Column> onQuarantine = collect(checks, QualityCheck::quarantineMetrics);
    List<String> ids = new ArrayList<>();
    Dataset<Row> aggregates = onRows.isEmpty() ? null : aggregate(rows, onRows, ids);
    if (!onQuarantine.isEmpty() && quarantine.isPresent()) {
      Dataset<Row> quarantined = aggregate(quarantine.get(), onQuarantine, ids);
      aggregates = aggregates == null ? quarantined : aggregates.crossJoin(quarantined);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    if (aggregates != null) {
      Row row = aggregates.first();
      for (int i = 0; i < ids.size(); i++) {
        values.put(ids.get(i), jsonFriendly(row.get(i)));
      }
    }
    if (quarantine.isEmpty()) {
      // No quarantine yet: nothing was ever rejected.
      onQuarantine.keySet().forEach(id -> values.put(id, 0L));
    }
    return values;
  }

  private static Map<String, Column> collect(List<QualityCheck> checks,
      Function<QualityCheck, Map<String, Column>> metrics) {
    Map<String, Column> all = new LinkedHashMap<>();
    checks.forEach(c -> metrics.apply(c).forEach(all::putIfAbsent));
    return all;
  }

  /**
   * One row of {@code metrics} over {@code rows}, its columns named by position after those already in
   * {@code ids}, to which the metrics' ids are added in column order.
   */
  private static Dataset<Row> aggregate(Dataset<Row> rows, Map<String, Column> metrics, List<String> ids) {
    List<Column> columns = new ArrayList<>();
    metrics.forEach((id, column) -> {
      columns.add(column.as("_m" + ids.size()));
      ids.add(id);
    });
    return rows.agg(columns.get(0), columns.subList(1, columns.size()).toArray(new Column[0]));
  }

  private static Object jsonFriendly(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant().toString();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
    }
    if (value instanceof Number || value instanceof String || value == null) {
      return value;
    }
    return value.toString();
  }
}

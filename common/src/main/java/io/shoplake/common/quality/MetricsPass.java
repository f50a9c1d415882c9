package io.shoplake.common.quality;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes the aggregates every check of a dataset needs in one {@code agg} over the dataset (one
 * scan), each distinct count in one of its own (a scan of its key's columns and a shuffle of the keys)
 * and, when a check needs it, one over the quarantine; those of every dataset a run measures in one
 * Spark execution. Values are made JSON-friendly for {@code _dq/}: decimals become doubles,
 * timestamps ISO-8601 instants.
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
      ids.addAll(c.distinctCountMetrics().keySet());
      ids.addAll(c.quarantineMetrics().keySet());
    });
    return ids;
  }

  /** What a dataset's measurement reads: its rows, its quarantine if there is one, and its checks. */
  record Input(Dataset<Row> rows, Optional<Dataset<Row>> quarantine, List<QualityCheck> checks) {}

  /**
   * The metrics each dataset's checks need, by dataset in the order given: per dataset one aggregation over
   * its rows, one per distinct count and, when a check reads the quarantine, one over that, all joined into
   * one row so that every dataset is measured in one Spark execution (one plan, one job whose scans run side
   * by side). Each execution avoided saves its planning and scheduling, which on a small lake is most of a
   * measurement.
   */
  static Map<String, Map<String, Object>> measureEach(Map<String, Input> inputs) {
    Dataset<Row> aggregates = null;
    Map<String, List<String>> idsByDataset = new LinkedHashMap<>();
    Map<String, Set<String>> unreadQuarantineIds = new LinkedHashMap<>();
    int column = 0;
    for (Map.Entry<String, Input> input : inputs.entrySet()) {
      Input in = input.getValue();
      Map<String, Column> onRows = collect(in.checks(), QualityCheck::datasetMetrics);
      Map<String, Column> distinctCounts = collect(in.checks(), QualityCheck::distinctCountMetrics);
      Map<String, Column> onQuarantine = collect(in.checks(), QualityCheck::quarantineMetrics);
      List<String> ids = new ArrayList<>();
      List<Dataset<Row>> parts = new ArrayList<>();
      if (!onRows.isEmpty()) {
        parts.add(aggregate(in.rows(), onRows, ids, column));
      }
      for (Map.Entry<String, Column> distinctCount : distinctCounts.entrySet()) {
        parts.add(aggregate(in.rows(), Map.of(distinctCount.getKey(), distinctCount.getValue()), ids,
            column + ids.size()));
      }
      if (!onQuarantine.isEmpty() && in.quarantine().isPresent()) {
        parts.add(aggregate(in.quarantine().get(), onQuarantine, ids, column + ids.size()));
      }
      column += ids.size();
      if (in.quarantine().isEmpty()) {
        unreadQuarantineIds.put(input.getKey(), onQuarantine.keySet());
      }
      for (Dataset<Row> part : parts) {
        aggregates = aggregates == null ? part : aggregates.crossJoin(part);
      }
      idsByDataset.put(input.getKey(), ids);
    }
    Row row = aggregates == null ? null : aggregates.first();
    Map<String, Map<String, Object>> measured = new LinkedHashMap<>();
    int position = 0;
    for (Map.Entry<String, Input> input : inputs.entrySet()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String id : idsByDataset.get(input.getKey())) {
        values.put(id, jsonFriendly(row.get(position++)));
      }
      // No quarantine yet: nothing was ever rejected.
      unreadQuarantineIds.getOrDefault(input.getKey(), Set.of()).forEach(id -> values.put(id, 0L));
      measured.put(input.getKey(), values);
    }
    return measured;
  }

  private static Map<String, Column> collect(List<QualityCheck> checks,
      Function<QualityCheck, Map<String, Column>> metrics) {
    Map<String, Column> all = new LinkedHashMap<>();
    checks.forEach(c -> metrics.apply(c).forEach(all::putIfAbsent));
    return all;
  }

  /**
   * One row of {@code metrics} over {@code rows}, its columns named by their position in the joined row
   * (from {@code first}, unique across datasets); the metrics' ids are added to {@code ids} in column order.
   */
  private static Dataset<Row> aggregate(Dataset<Row> rows, Map<String, Column> metrics, List<String> ids, int first) {
    List<Column> columns = new ArrayList<>();
    metrics.forEach((id, column) -> {
      columns.add(column.as("_m" + (first + columns.size())));
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

package io.shoplake.common.quality;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructType;

/**
 * One declarative check of a dataset. A check names the aggregates it needs by stable ids; the engine
 * computes the aggregates of every check of a dataset in one pass ({@link MetricsPass}), keeps them in
 * {@code _dq/}, and asks each check for a {@link Verdict}. Two checks that need the same aggregate
 * (the row count, the maximum of a column) share it.
 */
public interface QualityCheck {
  /** The check's name in config ({@code shoplake.quality.datasets.<dataset>.checks.<name>}). */
  String name();

  /** The kind: row-count, completeness, uniqueness, range, allowed-values, freshness, ... */
  String kind();

  Severity severity();

  /** The dataset columns the check reads; checked against the schema before the pass. */
  default List<String> columns() {
    return List.of();
  }

  /**
   * Why the check cannot run on a dataset of {@code schema} (a column of the wrong type), or empty; asked
   * before the pass, so the run fails with one line instead of Spark's analysis error or a bad parse.
   */
  default Optional<String> unfitFor(StructType schema) {
    return Optional.empty();
  }

  /** How many earlier measurements the check compares with (the anomaly check); 0 for none. */
  default int historyNeeded() {
    return 0;
  }

  /** Aggregates over the dataset's rows, by metric id. */
  Map<String, Column> datasetMetrics();

  /**
   * Distinct counts over the dataset's rows, by metric id. Each is computed in an aggregation of its own
   * beside the others: in one with them, Spark groups every row by the distinct key while carrying the
   * other aggregates' buffers, and when one of those is a text (allowed-values' example values) it sorts
   * every row to do so instead of hashing (a sort aggregate).
   */
  default Map<String, Column> distinctCountMetrics() {
    return Map.of();
  }

  /** Aggregates over the dataset's quarantine, by metric id; most checks need none. */
  default Map<String, Column> quarantineMetrics() {
    return Map.of();
  }

  Verdict evaluate(Measurement measurement);
}

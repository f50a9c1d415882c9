package io.shoplake.common.quality;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the checks of one dataset are evaluated on: the metric values of its aggregation pass, the
 * time freshness is measured at, and the row counts of the dataset's previous measurements.
 *
 * @param metrics metric id to value: a {@link Number}, an ISO-8601 instant for timestamps, a string, or
 *     null (an aggregate over no rows); after a round trip through {@code _dq/} numbers may come back
 *     as another {@link Number} type, so checks read them through {@link #count} and {@link #text}
 * @param referenceTime "now" for freshness: the run's start, or the end of {@code --run-date}
 * @param recentRowCounts row counts of the previous measurements, oldest first
 */
public record Measurement(Map<String, Object> metrics, Instant referenceTime, List<Long> recentRowCounts) {
  public static final String ROWS = "rows";
  public static final String QUARANTINE_ROWS = "quarantine_rows";

  long count(String id) {
    Object value = metrics.get(id);
    return value == null ? 0 : ((Number) value).longValue();
  }

  /** The value of {@code id} as text, or null. */
  String text(String id) {
    Object value = metrics.get(id);
    return value == null ? null : value.toString();
  }

  long rows() {
    return count(ROWS);
  }
}

package io.shoplake.common.clickstream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Assigns each event of a visitor to a session. A visitor's events, ordered by {@code event_ts} then
 * {@code event_id}, start a new session when the gap to the previous event exceeds
 * {@code inactivityGap}, or when the event comes more than {@code maxLength} after the session's first
 * event. {@code session_id} is a hash of the visitor and the session's first event id: the same input
 * gives the same ids on every run.
 *
 * <p>How: the events are shuffled by visitor and sorted by visitor, time and event id within each
 * partition, then one forward pass ({@link SessionFold}) carries each visitor's chain and session
 * start from event to event. The rule is a fold: where the next session of a long chain starts
 * depends on where the previous one started.
 *
 * <p>Cost: one shuffle of the events by visitor, one sort, and each row converted to a {@link Row}
 * and back by the fold. As window functions the same rule took four window operators, three sorts and
 * a second, narrower shuffle for the long chains: docs/BENCHMARKS.md (nineteenth round).
 *
 * <p>Adds {@code session_id}, {@code session_start} and, for callers that must know whether events
 * before the input could extend a chain, {@code chain_start}: the time of the first event of the
 * event's chain (its run of events without a pause longer than the gap). Input must not contain bot
 * events or repeated event ids, and {@code visitor_id}, {@code event_id} and {@code event_ts} must not
 * be null.
 */
public final class Sessionization {
  private static final String TIME_US = "_ts_us";

  private Sessionization() {}

  public static Transform withSessions(Duration inactivityGap, Duration maxLength) {
    long gapUs = inactivityGap.toNanos() / 1000;
    long maxUs = maxLength.toNanos() / 1000;
    return events -> {
      Contracts.requireColumns(events, "sessionize events", "visitor_id", "event_id", "event_ts");
      Dataset<Row> sorted = events
          .withColumn(TIME_US, unix_micros(col("event_ts")))
          .repartition(col("visitor_id"))
          .sortWithinPartitions(col("visitor_id"), col(TIME_US), col("event_id"));
      StructType input = sorted.schema();
      return sorted
          .mapPartitions(new SessionFold(input, TIME_US, gapUs, maxUs), Encoders.row(SessionFold.output(input)))
          .withColumn("session_start", timestamp_micros(col(SessionFold.SESSION_START_US)))
          .withColumn("chain_start", timestamp_micros(col(SessionFold.CHAIN_START_US)))
          .drop(TIME_US, SessionFold.SESSION_START_US, SessionFold.CHAIN_START_US);
    };
  }
}

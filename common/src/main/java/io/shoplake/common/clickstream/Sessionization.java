package io.shoplake.common.clickstream;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Assigns each event of a visitor to a session. A visitor's events, ordered by {@code event_ts} then
 * {@code event_id}, start a new session when the gap to the previous event exceeds
 * {@code inactivityGap}, or when the event comes more than {@code maxLength} after the session's first
 * event. {@code session_id} is a hash of the visitor and the session's first event id: the same input
 * gives the same ids on every run.
 *
 * <p>How: window functions split each visitor's events into chains at the gaps (one shuffle by
 * visitor, one sort). A chain no longer than {@code maxLength} is one session, the common case. Only
 * the rare longer chains are split further, greedily from their first event, by a fold over their
 * sorted timestamps ({@code aggregate}, which records each session's start) joined back to their
 * events: the split depends on where the previous session started, which no window function can see.
 *
 * <p>Cost: one shuffle of the events, by visitor, and the sorts of the windows; the long chains' side
 * computes the chains' bounds a second time, from a narrower shuffle of the same events (only the columns
 * it needs: column pruning makes it an exchange of its own). The long chains' starts are one row per
 * visitor (a map from chain to starts), joined on the visitor alone, so the join and the session window
 * keep the visitor partitioning. Joined on visitor and chain, Spark 3.5 shuffled the events again for the
 * join and a third time for the session window: docs/BENCHMARKS.md (sixteenth round) has the figures.
 *
 * <p>Adds {@code session_id}, {@code session_start} and, for callers that must know whether events
 * before the input could extend a chain, {@code chain_start} and {@code chain_end} (timestamps).
 * Input must not contain bot events or repeated event ids.
 */
public final class Sessionization {
  private Sessionization() {}

  public static Transform withSessions(Duration inactivityGap, Duration maxLength) {
    long gapUs = inactivityGap.toNanos() / 1000;
    long maxUs = maxLength.toNanos() / 1000;
    return events -> {
      Contracts.requireColumns(events, "sessionize events", "visitor_id", "event_id", "event_ts");
      WindowSpec byVisitor = Window.partitionBy(col("visitor_id")).orderBy(col("event_ts"), col("event_id"));
      WindowSpec byChain = Window.partitionBy(col("visitor_id"), col("_chain"));
      Dataset<Row> chained = events
          .withColumn("_ts_us", unix_micros(col("event_ts")))
          .withColumn("_prev_us", lag(col("_ts_us"), 1).over(byVisitor))
          .withColumn("_chain", sum(when(col("_prev_us").isNull().or(col("_ts_us").minus(col("_prev_us")).gt(gapUs)), 1)
              .otherwise(0)).over(byVisitor.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
          .withColumn("_chain_start_us", min(col("_ts_us")).over(byChain))
          .withColumn("_chain_end_us", max(col("_ts_us")).over(byChain));

      // Chains longer than maxLength: the start of each session, by a greedy fold over the sorted times; one
      // row per visitor (a map from chain to starts), so that the join is on the visitor alone.
      Dataset<Row> splits = chained
          .filter(col("_chain_end_us").minus(col("_chain_start_us")).gt(maxUs))
          .groupBy(col("visitor_id"), col("_chain"))
          .agg(array_sort(collect_list(col("_ts_us"))).as("_times"))
          .withColumn("_starts", expr("aggregate(_times, named_struct('current', CAST(NULL AS BIGINT), 'starts',"
              + " CAST(array() AS ARRAY<BIGINT>)), (acc, t) -> IF(acc.current IS NULL OR t - acc.current > " + maxUs
              + "L, named_struct('current', t, 'starts', concat(acc.starts, array(t))), acc), acc -> acc.starts)"))
          .groupBy(col("visitor_id").as("_split_visitor"))
          .agg(map_from_entries(collect_list(struct(col("_chain"), col("_starts")))).as("_split_starts"));

      Column splitStart = array_max(expr("filter(_starts, s -> s <= _ts_us)"));
      Dataset<Row> withStarts = chained
          .join(splits, col("visitor_id").equalTo(col("_split_visitor")), "left")
          .withColumn("_starts", try_element_at(col("_split_starts"), col("_chain")))
          .withColumn("_session_start_us", coalesce(when(col("_starts").isNotNull(), splitStart),
              col("_chain_start_us")));

      WindowSpec bySession = Window.partitionBy(col("visitor_id"), col("_session_start_us"));
      return withStarts
          .withColumn("_first_event_id", min(struct(col("_ts_us"), col("event_id"))).over(bySession).getField("event_id"))
          .withColumn("session_id", substring(sha2(concat_ws("|", col("visitor_id"), col("_first_event_id")), 256), 1, 32))
          .withColumn("session_start", timestamp_micros(col("_session_start_us")))
          .withColumn("chain_start", timestamp_micros(col("_chain_start_us")))
          .withColumn("chain_end", timestamp_micros(col("_chain_end_us")))
          .drop("_ts_us", "_prev_us", "_chain", "_chain_start_us", "_chain_end_us", "_split_visitor", "_split_starts",
              "_starts", "_session_start_us", "_first_event_id");
    };
  }
}

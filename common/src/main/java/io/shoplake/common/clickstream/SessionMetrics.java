package io.shoplake.common.clickstream;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import io.shoplake.common.transform.Contracts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * From sessionized events to sessions, and from sessions to the curated traffic and funnel tables.
 * Each is one aggregation (one shuffle by its key), but for sessions from events still in the
 * sessionization's order, which are one pass. Rates are doubles computed as count / count, null
 * (not zero) when their denominator is 0.
 */
public final class SessionMetrics {
  private SessionMetrics() {}

  /**
   * One row per session: its visitor, start, end, duration, event counts by type, converted (at least
   * one purchase), bounced (exactly one event, a page_view or product_view), and the landing page, exit
   * page, device and referrer (of its first and last event, by event_ts then event_id). Dated by its
   * start: {@code date}, {@code hour}, {@code year}, {@code month}, {@code day}.
   */
  public static Dataset<Row> toSessions(Dataset<Row> sessionizedEvents) {
    Contracts.requireColumns(sessionizedEvents, "build sessions", "session_id", "visitor_id", "user_id",
        "anonymous_id", "event_id", "event_type", "event_ts", "page_url", "device_type", "referrer");
    Column order = struct(col("event_ts"), col("event_id"));
    List<Column> aggregates = new ArrayList<>(List.of(min_by(col("visitor_id"), order).as("visitor_id"),
        max(col("user_id")).as("user_id"),
        min_by(col("anonymous_id"), order).as("anonymous_id"),
        min(col("event_ts")).as("session_start"),
        max(col("event_ts")).as("session_end"),
        count(lit(1)).as("event_count")));
    for (int i = 0; i < SessionRollup.TYPES.size(); i++) {
      aggregates.add(sum(when(col("event_type").equalTo(SessionRollup.TYPES.get(i)), 1L).otherwise(0L))
          .as(SessionRollup.TYPE_COUNTS.get(i)));
    }
    aggregates.addAll(List.of(min_by(col("page_url"), order).as("landing_page"),
        max_by(col("page_url"), order).as("exit_page"),
        min_by(col("device_type"), order).as("device_type"),
        min_by(col("referrer"), order).as("referrer")));
    return sessionizedEvents
        .groupBy(col("session_id"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
        .transform(SessionMetrics::withSessionColumns);
  }

  /**
   * The same rows as {@link #toSessions}, from events that are still in the order the sessionization left
   * them in each partition ({@link Sessionization}: visitor, time, event id), as its output or a cache of it
   * read back, filtered but not shuffled. Each session is then one run of its partition, rolled up as the
   * rows stream by ({@link SessionRollup}): no shuffle and no sort, where the aggregation sorts every event
   * by session id (13.5 s of the clickstream job at the 1M-transaction bench, docs/BENCHMARKS.md). Events in
   * another order fail the job, they are never miscounted.
   */
  public static Dataset<Row> toSessionsInSessionizedOrder(Dataset<Row> sessionizedEvents) {
    Contracts.requireColumns(sessionizedEvents, "build sessions", "session_id", "visitor_id", "user_id",
        "anonymous_id", "event_id", "event_type", "event_ts", "page_url", "device_type", "referrer");
    Column[] input = SessionRollup.INPUT.stream()
        .map(c -> c.equals(SessionRollup.TIME_US) ? unix_micros(col("event_ts")).as(c) : col(c))
        .toArray(Column[]::new);
    return sessionizedEvents.select(input)
        .mapPartitions(new SessionRollup(), Encoders.row(SessionRollup.output()))
        .withColumn("session_start", timestamp_micros(col("session_start")))
        .withColumn("session_end", timestamp_micros(col("session_end")))
        .transform(SessionMetrics::withSessionColumns);
  }

  /** What a session's aggregates give: its duration, converted, bounced, and the date and hour of its start. */
  private static Dataset<Row> withSessionColumns(Dataset<Row> sessions) {
    return sessions
        .withColumn("duration_s",
            unix_micros(col("session_end")).minus(unix_micros(col("session_start"))).divide(1_000_000.0))
        .withColumn("converted", col("purchases").gt(0))
        .withColumn("bounced", col("event_count").equalTo(1).and(col("page_views").plus(col("product_views")).equalTo(1)))
        .withColumn("date", to_date(col("session_start")))
        .withColumn("hour", hour(col("session_start")))
        .withColumn("year", year(col("date")))
        .withColumn("month", month(col("date")))
        .withColumn("day", dayofmonth(col("date")));
  }

  private static Column rate(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast("double").divide(denominator.cast("double")));
  }

  private static Column flagCount(Column flag) {
    return sum(when(flag, 1L).otherwise(0L));
  }

  /**
   * curated/traffic_hourly: per (date, hour) of session start: sessions, visitors (distinct visitor
   * ids), page_views, bounce_rate, conversion_rate, avg_session_duration_s.
   */
  public static Dataset<Row> trafficHourly(Dataset<Row> sessions) {
    Contracts.requireColumns(sessions, "build traffic_hourly", "date", "hour", "visitor_id", "page_views", "bounced",
        "converted", "duration_s");
    return sessions
        .groupBy(col("date"), col("hour"))
        .agg(count(lit(1)).as("sessions"),
            countDistinct(col("visitor_id")).as("visitors"),
            sum(col("page_views")).as("page_views"),
            flagCount(col("bounced")).as("_bounced"),
            flagCount(col("converted")).as("_converted"),
            avg(col("duration_s")).as("avg_session_duration_s"))
        .select(col("date"), col("hour"), col("sessions"), col("visitors"), col("page_views"),
            rate(col("_bounced"), col("sessions")).as("bounce_rate"),
            rate(col("_converted"), col("sessions")).as("conversion_rate"),
            col("avg_session_duration_s"))
        .transform(SessionMetrics::withDateParts);
  }

  /**
   * curated/conversion_funnel_daily: per date of session start: sessions, the sessions with at least one
   * product view, add-to-cart, checkout start and purchase (each counted on its own: a session that
   * skips a step still counts at the later steps), the step-to-step rates and the conversion rate.
   */
  public static Dataset<Row> conversionFunnelDaily(Dataset<Row> sessions) {
    Contracts.requireColumns(sessions, "build conversion_funnel_daily", "date", "product_views", "add_to_carts",
        "checkout_starts", "purchases");
    return sessions
        .groupBy(col("date"))
        .agg(count(lit(1)).as("sessions"),
            flagCount(col("product_views").gt(0)).as("sessions_with_product_view"),
            flagCount(col("add_to_carts").gt(0)).as("sessions_with_add_to_cart"),
            flagCount(col("checkout_starts").gt(0)).as("sessions_with_checkout"),
            flagCount(col("purchases").gt(0)).as("sessions_with_purchase"))
        .withColumn("view_to_cart_rate", rate(col("sessions_with_add_to_cart"), col("sessions_with_product_view")))
        .withColumn("cart_to_checkout_rate", rate(col("sessions_with_checkout"), col("sessions_with_add_to_cart")))
        .withColumn("checkout_to_purchase_rate", rate(col("sessions_with_purchase"), col("sessions_with_checkout")))
        .withColumn("conversion_rate", rate(col("sessions_with_purchase"), col("sessions")))
        .transform(SessionMetrics::withDateParts);
  }

  private static Dataset<Row> withDateParts(Dataset<Row> rows) {
    return rows
        .withColumn("year", year(col("date")))
        .withColumn("month", month(col("date")))
        .withColumn("day", dayofmonth(col("date")));
  }
}

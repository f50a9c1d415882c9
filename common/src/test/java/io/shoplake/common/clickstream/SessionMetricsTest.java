package io.shoplake.common.clickstream;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;

import io.shoplake.common.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Sessions from sessionized events, and the traffic and funnel tables from sessions, with exact rows. */
class SessionMetricsTest {
  private final SparkSession spark = SharedSpark.get();

  /**
   * Four sessions on Jan 1 (a full funnel, a purchase that skipped every step before it, a product view
   * only, a single page view: a bounce), one on Jan 2 (a search then a page view).
   */
  private Dataset<Row> events() {
    return spark.sql("select session_id, visitor_id, user_id, anonymous_id, event_id, event_type,"
        + " cast(ts as timestamp) as event_ts, page_url, device_type, referrer from values"
        + " ('s1','U1','U1','A1','e1','page_view','2025-01-01 10:00:00','/','mobile','google'),"
        + " ('s1','U1','U1','A1','e2','product_view','2025-01-01 10:01:00','/p/1','mobile','google'),"
        + " ('s1','U1','U1','A1','e3','add_to_cart','2025-01-01 10:02:00','/p/1','mobile','google'),"
        + " ('s1','U1','U1','A1','e4','checkout_start','2025-01-01 10:03:00','/checkout','mobile','google'),"
        + " ('s1','U1','U1','A1','e5','purchase','2025-01-01 10:04:30','/done','mobile','google'),"
        + " ('s2','U2','U2','A2','e6','purchase','2025-01-01 10:30:00','/done','desktop','direct'),"
        + " ('s3','A3',null,'A3','e7','product_view','2025-01-01 11:00:00','/p/2','tablet','ads'),"
        + " ('s4','A4',null,'A4','e8','page_view','2025-01-01 11:59:59','/','tablet','ads'),"
        + " ('s5','A4',null,'A4','e9','search','2025-01-02 08:00:00','/search','tablet','ads'),"
        + " ('s5','A4',null,'A4','e10','page_view','2025-01-02 08:00:10','/','tablet','ads')"
        + " as t(session_id, visitor_id, user_id, anonymous_id, event_id, event_type, ts, page_url, device_type,"
        + " referrer)");
  }

  @Test
  void sessionsCountTheirEventsAndKnowTheirFirstAndLastPage() {
    Dataset<Row> sessions = SessionMetrics.toSessions(events()).selectExpr("session_id", "visitor_id", "user_id",
        "cast(session_start as string)", "cast(session_end as string)", "duration_s", "event_count", "page_views",
        "product_views", "add_to_carts", "checkout_starts", "purchases", "converted", "bounced", "landing_page",
        "exit_page", "device_type", "referrer", "cast(date as string)", "hour", "year", "month", "day");
    assertSameRows(spark.sql("select * from values"
        + " ('s1','U1','U1','2025-01-01 10:00:00','2025-01-01 10:04:30',270.0D,5L,1L,1L,1L,1L,1L,true,false,'/','/done','mobile','google','2025-01-01',10,2025,1,1),"
        + " ('s2','U2','U2','2025-01-01 10:30:00','2025-01-01 10:30:00',0.0D,1L,0L,0L,0L,0L,1L,true,false,'/done','/done','desktop','direct','2025-01-01',10,2025,1,1),"
        + " ('s3','A3',null,'2025-01-01 11:00:00','2025-01-01 11:00:00',0.0D,1L,0L,1L,0L,0L,0L,false,true,'/p/2','/p/2','tablet','ads','2025-01-01',11,2025,1,1),"
        + " ('s4','A4',null,'2025-01-01 11:59:59','2025-01-01 11:59:59',0.0D,1L,1L,0L,0L,0L,0L,false,true,'/','/','tablet','ads','2025-01-01',11,2025,1,1),"
        + " ('s5','A4',null,'2025-01-02 08:00:00','2025-01-02 08:00:10',10.0D,2L,1L,0L,0L,0L,0L,false,false,'/search','/','tablet','ads','2025-01-02',8,2025,1,2)"
        + " as t(session_id, visitor_id, user_id, session_start, session_end, duration_s, event_count, page_views,"
        + " product_views, add_to_carts, checkout_starts, purchases, converted, bounced, landing_page, exit_page,"
        + " device_type, referrer, date, hour, year, month, day)"), sessions);
  }

  @Test
  void theFunnelCountsEachStepOnItsOwnSoSkippedStepsShowAsRatesAboveOne() {
    Dataset<Row> funnel = SessionMetrics.conversionFunnelDaily(SessionMetrics.toSessions(events()))
        .withColumn("date", org.apache.spark.sql.functions.col("date").cast("string"));
    assertSameRows(spark.sql("select * from values"
        + " ('2025-01-01', 4L, 2L, 1L, 1L, 2L, 0.5D, 1.0D, 2.0D, 0.5D, 2025, 1, 1),"
        + " ('2025-01-02', 1L, 0L, 0L, 0L, 0L, cast(null as double), cast(null as double), cast(null as double), 0.0D, 2025, 1, 2)"
        + " as t(date, sessions, sessions_with_product_view, sessions_with_add_to_cart, sessions_with_checkout,"
        + " sessions_with_purchase, view_to_cart_rate, cart_to_checkout_rate, checkout_to_purchase_rate,"
        + " conversion_rate, year, month, day)"), funnel);
  }

  @Test
  void trafficIsCountedByHourOfSessionStart() {
    Dataset<Row> traffic = SessionMetrics.trafficHourly(SessionMetrics.toSessions(events()))
        .withColumn("date", org.apache.spark.sql.functions.col("date").cast("string"));
    assertSameRows(spark.sql("select * from values"
        + " ('2025-01-01', 10, 2L, 2L, 1L, 0.0D, 1.0D, 135.0D, 2025, 1, 1),"
        + " ('2025-01-01', 11, 2L, 2L, 1L, 1.0D, 0.0D, 0.0D, 2025, 1, 1),"
        + " ('2025-01-02', 8, 1L, 1L, 1L, 0.0D, 0.0D, 10.0D, 2025, 1, 2)"
        + " as t(date, hour, sessions, visitors, page_views, bounce_rate, conversion_rate, avg_session_duration_s,"
        + " year, month, day)"), traffic);
  }
}

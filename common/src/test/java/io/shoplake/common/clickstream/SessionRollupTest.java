package io.shoplake.common.clickstream;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.testing.SharedSpark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * Sessions rolled up from events in the sessionization's order give exactly the rows of the aggregation
 * that defines them ({@link SessionMetrics#toSessions}), and events in another order fail instead of
 * being miscounted.
 */
class SessionRollupTest {
  private final SparkSession spark = SharedSpark.get();

  /** Texts that Java's UTF-16 order and Spark's byte order sort differently, and nulls. */
  private static final String[] TEXTS = {null, "/", "/p/1", "/p/\uFF21", "/p/\uD83D\uDE00", "/p/\uE000", "direct"};
  private static final String[] TYPES = {"page_view", "product_view", "search", "add_to_cart", "remove_from_cart",
      "checkout_start", "purchase", "unknown_type", null};

  /**
   * 150 visitors over 3 shuffle partitions (ids sorted differently by Java and Spark among them), repeated
   * times, pauses around the gap, chains past the maximum, users and texts that change or are null within
   * a session; sessionized, cached with rows of no session beside them (as the job caches bots and
   * rejects), read back and filtered as the job does.
   */
  @Test
  void theRollupOfRandomSessionizedEventsGivesTheAggregationsRows() {
    Random random = new Random(42);
    long gapUs = Duration.ofMinutes(30).toNanos() / 1000;
    long[] steps = {0, 60_000_000L, 600_000_000L, gapUs, gapUs + 1, 3_600_000_000L};
    String[] visitorPrefixes = {"V", "U\uFF21", "U\uD83D\uDE00", "a"};
    List<String> rows = new ArrayList<>();
    for (int v = 0; v < 150; v++) {
      String visitor = visitorPrefixes[v % visitorPrefixes.length] + v;
      long us = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() * 1000 + random.nextInt(3_600) * 1_000_000L;
      for (int e = 0, n = 1 + random.nextInt(30); e < n; e++) {
        us += steps[random.nextInt(steps.length)];
        rows.add("(" + sql(visitor) + "," + sql(String.format("e%05d-%d-%d", random.nextInt(100_000), v, e)) + ","
            + "timestamp_micros(" + us + "L)," + sql(random.nextInt(3) == 0 ? null : "u" + TEXTS[random.nextInt(7)])
            + "," + sql(random.nextInt(4) == 0 ? null : visitor) + "," + sql(TYPES[random.nextInt(TYPES.length)])
            + "," + sql(TEXTS[random.nextInt(7)]) + "," + sql(TEXTS[random.nextInt(7)]) + ","
            + sql(TEXTS[random.nextInt(7)]) + ")");
      }
    }
    Dataset<Row> sessionized = spark.sql("select * from values " + String.join(",", rows)
            + " as t(visitor_id, event_id, event_ts, user_id, anonymous_id, event_type, page_url, device_type,"
            + " referrer)")
        .repartition(3)
        .transform(Sessionization.withSessions(Duration.ofMinutes(30), Duration.ofHours(2)));
    Dataset<Row> cache = sessionized
        .unionByName(sessionized.limit(20).withColumn("session_id", org.apache.spark.sql.functions.lit(null)
            .cast("string")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> events = CachedPlans.startingAtCache(cache).filter(col("session_id").isNotNull());
      Dataset<Row> rolledUp = SessionMetrics.toSessionsInSessionizedOrder(events);
      assertEquals(SessionMetrics.toSessions(events).schema(), rolledUp.schema());
      assertTrue(rolledUp.count() > 300, "the random events should make many sessions");
      assertSameRows(SessionMetrics.toSessions(events), rolledUp);
    } finally {
      cache.unpersist();
    }
  }

  @Test
  void eventsOutOfTheSessionizedOrderFailTheJobInsteadOfSplittingASession() {
    Dataset<Row> reordered = spark.sql("select * from values"
        + " ('s1','V1','e2',timestamp'2025-01-01 10:05:00','page_view'),"
        + " ('s1','V1','e1',timestamp'2025-01-01 10:00:00','page_view')"
        + " as t(session_id, visitor_id, event_id, event_ts, event_type)")
        .selectExpr("*", "cast(null as string) as user_id", "visitor_id as anonymous_id", "'/' as page_url",
            "'mobile' as device_type", "'direct' as referrer")
        .coalesce(1);
    SparkException failure = assertThrows(SparkException.class,
        () -> SessionMetrics.toSessionsInSessionizedOrder(reordered).collectAsList());
    assertTrue(failure.getMessage().contains("event e1 does not follow event e2"), failure.getMessage());
  }

  @Test
  void anEventWithoutASessionIdFailsTheJobWithItsId() {
    Dataset<Row> unsessionized = spark.sql("select cast(null as string) as session_id, 'V1' as visitor_id,"
        + " 'e1' as event_id, timestamp'2025-01-01 10:00:00' as event_ts, 'page_view' as event_type,"
        + " cast(null as string) as user_id, 'V1' as anonymous_id, '/' as page_url, 'mobile' as device_type,"
        + " 'direct' as referrer");
    SparkException failure = assertThrows(SparkException.class,
        () -> SessionMetrics.toSessionsInSessionizedOrder(unsessionized).collectAsList());
    assertTrue(failure.getMessage().contains("without a session id, visitor id or event id (event e1"),
        failure.getMessage());
  }

  @Test
  void stringsCompareInSparksOrderOfTheirUtf8Bytes() {
    String[] texts = {"", "a", "ab", "b", "\u00E9", "\uE000", "\uFF21", "\uD83D\uDE00", "\uD83D\uDE01", "a\uD83D\uDE00",
        "a\uFFFF"};
    for (String a : texts) {
      for (String b : texts) {
        assertEquals(Integer.signum(UTF8String.fromString(a).compareTo(UTF8String.fromString(b))),
            Integer.signum(SessionRollup.codePointCompare(a, b)), "'" + a + "' against '" + b + "'");
      }
    }
  }

  private static String sql(String text) {
    return text == null ? "cast(null as string)" : "'" + text + "'";
  }
}

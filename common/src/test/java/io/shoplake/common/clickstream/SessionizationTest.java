package io.shoplake.common.clickstream;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Session assignment on inline events: the gap, the maximum length, midnight, stable ids, bots. */
class SessionizationTest {
  private final SparkSession spark = SharedSpark.get();

  /** visitor_id, event_id, event_ts (UTC text). */
  private Dataset<Row> events(String values) {
    return spark.sql("select visitor_id, event_id, cast(ts as timestamp) as event_ts from values " + values
        + " as t(visitor_id, event_id, ts)");
  }

  private static String sessionId(String visitor, String firstEventId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((visitor + "|" + firstEventId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private Dataset<Row> sessionize(Dataset<Row> events, Duration gap, Duration max) {
    return events.transform(Sessionization.withSessions(gap, max))
        .selectExpr("visitor_id", "event_id", "session_id", "cast(session_start as string) as session_start");
  }

  private Dataset<Row> expected(List<String[]> rows) {
    StringBuilder values = new StringBuilder();
    for (String[] r : rows) {
      values.append(values.length() == 0 ? "" : ",").append("('").append(r[0]).append("','").append(r[1])
          .append("','").append(sessionId(r[0], r[2])).append("','").append(r[3]).append("')");
    }
    return spark.sql("select * from values " + values + " as t(visitor_id, event_id, session_id, session_start)");
  }

  @Test
  void aPauseLongerThanTheGapStartsANewSessionAndExactlyTheGapDoesNot() {
    Dataset<Row> input = events("('V1','e1','2025-01-01 10:00:00'), ('V1','e2','2025-01-01 10:20:00'),"
        + " ('V1','e3','2025-01-01 10:50:00'), ('V1','e4','2025-01-01 11:20:01'), ('V2','e5','2025-01-01 10:05:00')");
    assertSameRows(expected(List.of(
            new String[] {"V1", "e1", "e1", "2025-01-01 10:00:00"},
            new String[] {"V1", "e2", "e1", "2025-01-01 10:00:00"},
            new String[] {"V1", "e3", "e1", "2025-01-01 10:00:00"},
            new String[] {"V1", "e4", "e4", "2025-01-01 11:20:01"},
            new String[] {"V2", "e5", "e5", "2025-01-01 10:05:00"})),
        sessionize(input, Duration.ofMinutes(30), Duration.ofHours(24)));
  }

  @Test
  void aSessionLongerThanTheMaximumIsSplitFromItsFirstEvent() {
    // No pause exceeds the gap; with a 1-hour maximum the chain splits at 01:20 and 02:40 (an event at
    // exactly start + 1 h stays in the session).
    Dataset<Row> input = events("('V','a','2025-01-01 00:00:00'), ('V','b','2025-01-01 00:30:00'),"
        + " ('V','c','2025-01-01 01:00:00'), ('V','d','2025-01-01 01:20:00'), ('V','e','2025-01-01 01:50:00'),"
        + " ('V','f','2025-01-01 02:20:00'), ('V','g','2025-01-01 02:40:00')");
    assertSameRows(expected(List.of(
            new String[] {"V", "a", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "b", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "c", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "d", "d", "2025-01-01 01:20:00"},
            new String[] {"V", "e", "d", "2025-01-01 01:20:00"},
            new String[] {"V", "f", "d", "2025-01-01 01:20:00"},
            new String[] {"V", "g", "g", "2025-01-01 02:40:00"})),
        sessionize(input, Duration.ofMinutes(30), Duration.ofHours(1)));
  }

  @Test
  void eachLongChainOfAVisitorIsSplitByItsOwnStarts() {
    // V has two chains longer than the 1-hour maximum with a short one between them (pauses over the 30-minute
    // gap); W has one short chain. Each long chain splits where its own times say, not the other's.
    Dataset<Row> input = events("('V','a','2025-01-01 00:00:00'), ('V','b','2025-01-01 00:30:00'),"
        + " ('V','c','2025-01-01 01:00:00'), ('V','d','2025-01-01 01:20:00'), ('V','e','2025-01-01 03:00:00'),"
        + " ('V','f','2025-01-01 05:00:00'), ('V','g','2025-01-01 05:25:00'), ('V','h','2025-01-01 05:50:00'),"
        + " ('V','i','2025-01-01 06:10:00'), ('W','w1','2025-01-01 00:00:00'), ('W','w2','2025-01-01 00:20:00')");
    assertSameRows(expected(List.of(
            new String[] {"V", "a", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "b", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "c", "a", "2025-01-01 00:00:00"},
            new String[] {"V", "d", "d", "2025-01-01 01:20:00"},
            new String[] {"V", "e", "e", "2025-01-01 03:00:00"},
            new String[] {"V", "f", "f", "2025-01-01 05:00:00"},
            new String[] {"V", "g", "f", "2025-01-01 05:00:00"},
            new String[] {"V", "h", "f", "2025-01-01 05:00:00"},
            new String[] {"V", "i", "i", "2025-01-01 06:10:00"},
            new String[] {"W", "w1", "w1", "2025-01-01 00:00:00"},
            new String[] {"W", "w2", "w1", "2025-01-01 00:00:00"})),
        sessionize(input, Duration.ofMinutes(30), Duration.ofHours(1)));
  }

  @Test
  void aSessionAcrossMidnightIsOneSessionOfItsStartDate() {
    Dataset<Row> input = events("('V','x1','2025-01-01 23:50:00'), ('V','x2','2025-01-02 00:10:00'),"
        + " ('V','x3','2025-01-02 00:15:00')");
    Dataset<Row> sessionized = input.transform(Sessionization.withSessions(Duration.ofMinutes(30), Duration.ofHours(24)));
    assertSameRows(expected(List.of(
            new String[] {"V", "x1", "x1", "2025-01-01 23:50:00"},
            new String[] {"V", "x2", "x1", "2025-01-01 23:50:00"},
            new String[] {"V", "x3", "x1", "2025-01-01 23:50:00"})),
        sessionize(input, Duration.ofMinutes(30), Duration.ofHours(24)));
    assertEquals(1, sessionized.select("session_id").distinct().count());
  }

  @Test
  void eventsWithTheSameTimeAreOrderedByEventIdAndIdsDoNotDependOnInputOrder() {
    Dataset<Row> input = events("('V','b','2025-01-01 09:00:00'), ('V','a','2025-01-01 09:00:00'),"
        + " ('V','c','2025-01-01 09:10:00')");
    Dataset<Row> shuffled = input.repartition(3).sortWithinPartitions("event_id");
    assertSameRows(expected(List.of(
            new String[] {"V", "a", "a", "2025-01-01 09:00:00"},
            new String[] {"V", "b", "a", "2025-01-01 09:00:00"},
            new String[] {"V", "c", "a", "2025-01-01 09:00:00"})),
        sessionize(shuffled, Duration.ofMinutes(30), Duration.ofHours(24)));
  }

  @Test
  void theChainStartStaysAtTheChainsFirstEventWhenTheSessionSplits() {
    // One chain (no pause over 30 minutes) split by the 1-hour maximum; a pause then starts a new chain.
    Dataset<Row> input = events("('V','a','2025-01-01 00:00:00'), ('V','b','2025-01-01 00:30:00'),"
        + " ('V','c','2025-01-01 01:00:00'), ('V','d','2025-01-01 01:20:00'), ('V','e','2025-01-01 03:00:00')");
    assertSameRows(spark.sql("select * from values ('a', '2025-01-01 00:00:00', '2025-01-01 00:00:00'),"
            + " ('b', '2025-01-01 00:00:00', '2025-01-01 00:00:00'), ('c', '2025-01-01 00:00:00', '2025-01-01 00:00:00'),"
            + " ('d', '2025-01-01 01:20:00', '2025-01-01 00:00:00'), ('e', '2025-01-01 03:00:00', '2025-01-01 03:00:00')"
            + " as t(event_id, session_start, chain_start)"),
        input.transform(Sessionization.withSessions(Duration.ofMinutes(30), Duration.ofHours(1)))
            .selectExpr("event_id", "cast(session_start as string)", "cast(chain_start as string)"));
  }

  /**
   * Many visitors spread over several shuffle partitions, with repeated times, pauses around the gap and
   * chains past the maximum, against the rule applied visitor by visitor in plain Java: the fold must
   * restart at every visitor, whichever visitors share a partition.
   */
  @Test
  void manyVisitorsInSeveralPartitionsGetTheSessionsOfTheRuleAppliedToEachAlone() {
    Random random = new Random(41);
    long gapUs = Duration.ofMinutes(30).toNanos() / 1000;
    long maxUs = Duration.ofHours(2).toNanos() / 1000;
    long[] steps = {0, 60_000_000L, 600_000_000L, gapUs, gapUs + 1, 3_600_000_000L};
    Map<String, List<Event>> byVisitor = new TreeMap<>();
    List<String> rows = new ArrayList<>();
    for (int v = 0; v < 120; v++) {
      String visitor = "V" + v;
      long us = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() * 1000 + random.nextInt(3_600) * 1_000_000L;
      for (int e = 0, n = 1 + random.nextInt(40); e < n; e++) {
        us += steps[random.nextInt(steps.length)];
        String id = String.format("e%05d", random.nextInt(100_000)) + "-" + v + "-" + e;
        byVisitor.computeIfAbsent(visitor, k -> new ArrayList<>()).add(new Event(us, id));
        rows.add("('" + visitor + "','" + id + "',timestamp_micros(" + us + "L))");
      }
    }
    List<String> expected = new ArrayList<>();
    for (Map.Entry<String, List<Event>> visitor : byVisitor.entrySet()) {
      List<Event> ordered = new ArrayList<>(visitor.getValue());
      ordered.sort(Comparator.comparingLong(Event::us).thenComparing(Event::id));
      long previous = Long.MIN_VALUE;
      long chainStart = 0;
      long sessionStart = 0;
      String first = null;
      for (Event event : ordered) {
        long us = event.us();
        if (first == null || us - previous > gapUs) {
          chainStart = us;
          sessionStart = us;
          first = event.id();
        } else if (us - sessionStart > maxUs) {
          sessionStart = us;
          first = event.id();
        }
        previous = us;
        expected.add("('" + event.id() + "','" + sessionId(visitor.getKey(), first) + "'," + sessionStart + "L,"
            + chainStart + "L)");
      }
    }
    Dataset<Row> input = spark.sql("select visitor_id, event_id, ts as event_ts from values " + String.join(",", rows)
        + " as t(visitor_id, event_id, ts)").repartition(3);
    assertSameRows(spark.sql("select * from values " + String.join(",", expected)
            + " as t(event_id, session_id, session_start_us, chain_start_us)"),
        input.transform(Sessionization.withSessions(Duration.ofMinutes(30), Duration.ofHours(2)))
            .selectExpr("event_id", "session_id", "unix_micros(session_start) as session_start_us",
                "unix_micros(chain_start) as chain_start_us"));
  }

  /** One generated event: its time in microseconds and its id. */
  private record Event(long us, String id) {}

  @Test
  void userAgentsContainingAPatternAreBotsWhateverTheirCase() {
    Dataset<Row> agents = spark.sql("select * from values ('Mozilla/5.0 Chrome/120'), ('Googlebot/2.1'),"
        + " ('HeadlessChrome/120'), ('SomeCRAWLER'), (null) as t(user_agent)");
    Dataset<Row> flagged = agents.transform(ClickstreamRules.withBotFlag(List.of("bot", "crawler", "spider", "headless")));
    assertSameRows(spark.sql("select * from values ('Mozilla/5.0 Chrome/120', false), ('Googlebot/2.1', true),"
            + " ('HeadlessChrome/120', true), ('SomeCRAWLER', true), (null, false) as t(user_agent, is_bot)"),
        flagged);
  }
}

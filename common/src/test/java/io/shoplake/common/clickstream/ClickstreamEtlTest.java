package io.shoplake.common.clickstream;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clickstream end to end: outputs, quarantine, bots, and --run-date runs in any order equal to a full run. */
class ClickstreamEtlTest {
  private static final String BROWSER = "Mozilla/5.0 Chrome/120";
  @TempDir static Path dir;
  private static JobHarness full;
  private static JobOutcome fullOutcome;

  @BeforeAll
  static void fullRun() {
    full = new JobHarness(lake("full"));
    fullOutcome = full.run(new ClickstreamEtl());
    assertEquals(0, fullOutcome.exitCode(), full.stderr());
  }

  private static String event(String id, String user, String anonymous, String type, String ts, String agent) {
    return "{\"event_id\":\"" + id + "\",\"user_id\":" + json(user) + ",\"anonymous_id\":" + json(anonymous)
        + ",\"event_type\":\"" + type + "\",\"event_ts\":\"" + ts + "\",\"page_url\":\"/" + type + "\","
        + "\"product_id\":" + (type.equals("product_view") ? "\"P1\"" : "null") + ",\"transaction_id\":null,"
        + "\"referrer\":\"direct\",\"device_type\":\"mobile\",\"user_agent\":" + json(agent) + "}";
  }

  private static String json(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  /**
   * Three raw dates: a session across the midnight of Jan 1 (its second event delivered in Jan 2's file),
   * a bot, a duplicate delivery, bad rows, and a visitor active every 20 minutes from Jan 1 22:10 to Jan
   * 3 23:50 (a chain of 50 hours, split by the 24-hour maximum into sessions of Jan 1, Jan 2 and Jan 3).
   */
  private static TestLake lake(String name) {
    TestLake lake = new TestLake(dir.resolve(name));
    List<List<String>> days = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    days.get(0).addAll(List.of(
        event("e1", "U1", "A1", "page_view", "2025-01-01T10:00:00Z", BROWSER),
        event("e2", "U1", "A1", "product_view", "2025-01-01T10:05:00Z", BROWSER),
        event("e3", null, "A2", "page_view", "2025-01-01T23:50:00Z", BROWSER),
        event("b1", null, "A9", "page_view", "2025-01-01T12:00:00Z", "Googlebot/2.1"),
        event("x1", null, null, "page_view", "2025-01-01T12:00:00Z", BROWSER),
        event("x2", "U1", null, "teleport", "2025-01-01T12:00:00Z", BROWSER),
        "{\"event_id\": \"x3\", "));
    days.get(1).addAll(List.of(
        event("e4", null, "A2", "product_view", "2025-01-02T00:10:00Z", BROWSER),
        event("e2", "U1", "A1", "product_view", "2025-01-01T10:05:00Z", BROWSER),
        event("e5", "U1", "A1", "purchase", "2025-01-02T15:00:00Z", BROWSER)));
    days.get(2).add(event("e6", null, "A2", "page_view", "2025-01-03T09:00:00Z", BROWSER));
    for (LocalDateTime t = LocalDateTime.of(2025, 1, 1, 22, 10); t.isBefore(LocalDateTime.of(2025, 1, 4, 0, 0));
        t = t.plusMinutes(20)) {
      days.get(t.getDayOfMonth() - 1).add(event("L" + t.toString().replace(":", ""), "U7", null, "page_view", t + ":00Z",
          BROWSER));
    }
    for (int d = 0; d < 3; d++) {
      lake.writeJsonLines("clickstream", "2025-01-0" + (d + 1), "events.jsonl", days.get(d));
    }
    return lake;
  }

  private static Dataset<Row> sessions(JobHarness jobs) {
    return jobs.read("processed/sessions").selectExpr("session_id", "visitor_id", "cast(session_start as string)",
        "cast(session_end as string)", "event_count", "converted", "bounced", "year", "month", "day");
  }

  private static Dataset<Row> events(JobHarness jobs) {
    return jobs.read("processed/clickstream_events").select("event_id", "is_bot", "session_id", "source_file", "year",
        "month", "day");
  }

  @Test
  void aFullRunSessionizesEveryDateAndQuarantinesBadRows() {
    JobHarness jobs = full;
    JobOutcome outcome = fullOutcome;
    Dataset<Row> visitorSessions = sessions(jobs).filter("visitor_id <> 'U7'")
        .selectExpr("visitor_id", "session_start", "session_end", "event_count", "converted", "bounced", "day");
    assertSameRows(SharedSpark.get().sql("select * from values"
        + " ('U1', '2025-01-01 10:00:00', '2025-01-01 10:05:00', 2L, false, false, 1),"
        + " ('A2', '2025-01-01 23:50:00', '2025-01-02 00:10:00', 2L, false, false, 1),"
        + " ('U1', '2025-01-02 15:00:00', '2025-01-02 15:00:00', 1L, true, false, 2),"
        + " ('A2', '2025-01-03 09:00:00', '2025-01-03 09:00:00', 1L, false, true, 3)"
        + " as t(visitor_id, session_start, session_end, event_count, converted, bounced, day)"), visitorSessions);
    // The 50-hour chain: split at 24 h from Jan 1 22:10, then from Jan 2 22:30; the third starts Jan 3 22:50.
    assertSameRows(SharedSpark.get().sql("select * from values ('2025-01-01 22:10:00', 73L), ('2025-01-02 22:30:00', 73L),"
            + " ('2025-01-03 22:50:00', 4L) as t(session_start, event_count)"),
        sessions(jobs).filter("visitor_id = 'U7'").selectExpr("session_start", "event_count"));
    // The bot is kept, without a session, and counted.
    assertSameRows(SharedSpark.get().sql("select 'b1' as event_id, true as is_bot, cast(null as string) as session_id"),
        events(jobs).filter("is_bot").select("event_id", "is_bot", "session_id"));
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(Map.of("duplicate", 1L, "invalid_event_type", 1L, "malformed_row", 1L, "missing_anonymous_id", 1L),
        m.getRejectedByReason());
    assertEquals(1L, ((Number) m.getMetrics().get("bot_events")).longValue());
    assertEquals(m.getRowsRead(), m.getRowsWritten() + 4);
    // Every event written, in a session or a bot's, carries this run's ingest columns (the sessionization
    // does not carry them: they are put back after it).
    assertSameRows(SharedSpark.get().sql("select '" + m.getRunId() + "' as run_id, 'clickstream' as job_name,"
            + " 1L as ingested_at_values, 0L as ingested_at_nulls"),
        jobs.read("processed/clickstream_events").groupBy("run_id", "job_name")
            .agg(expr("count(distinct ingested_at)").as("ingested_at_values"),
                expr("count_if(ingested_at is null)").as("ingested_at_nulls")));
    // The duplicate of e2 came in the later file: that is the one quarantined.
    assertEquals("raw/clickstream/date=2025-01-02/events.jsonl", jobs.read("quarantine/clickstream")
        .filter("reject_reason = 'duplicate'").first().getAs("source_file"));
  }

  @Test
  void runningEachDateInAnyOrderGivesTheSameSessionsAsAFullRun() {
    JobHarness byDate = new JobHarness(lake("by-date"));
    List<String> warned = new ArrayList<>();
    for (String date : List.of("2025-01-02", "2025-01-03", "2025-01-01")) {
      JobOutcome outcome = byDate.run(new ClickstreamEtl(), "--run-date", date);
      assertEquals(0, outcome.exitCode(), byDate.stderr());
      RunManifest m = outcome.manifest().orElseThrow();
      assertEquals(m.getRowsRead(), m.getRowsWritten() + m.getRowsRejected() + m.getRowsSkipped());
      List<String> otherDays = m.getWarnings().stream().filter(w -> w.contains("belong to sessions of other days"))
          .toList();
      assertEquals(expectedOtherDaysWarning(date), otherDays, date);
      warned.addAll(otherDays);
    }
    // Jan 2's file holds A2's event after midnight and the chain's day of Jan 1's session; Jan 3's, Jan 2's.
    assertEquals(2, warned.size(), warned.toString());
    assertSameOutputs(full, byDate);
  }

  /**
   * The warning a run of {@code date} gives for the events of its raw date whose sessions are of other days (the
   * full run's lake says which): the sessions across midnight, and the 50-hour chain's 24-hour sessions.
   */
  private static List<String> expectedOtherDaysWarning(String date) {
    List<Row> days = events(full).filter("source_file like '%/date=" + date + "/%'")
        .selectExpr("make_date(year, month, day) as day").filter("day != date'" + date + "'")
        .groupBy("day").count().orderBy("day").collectAsList();
    if (days.isEmpty()) {
      return List.of();
    }
    long events = days.stream().mapToLong(r -> r.getLong(1)).sum();
    return List.of(events + " event(s) of raw date " + date + " belong to sessions of other days ("
        + String.join(", ", days.stream().map(r -> r.get(0) + ": " + r.getLong(1)).toList())
        + "), skipped here as outside_run_date: a run of those days writes them ("
        + String.join(", ", days.stream().map(r -> "--run-date " + r.get(0)).toList())
        + "), as does a run without --run-date");
  }

  /** The eve of the first raw date has no raw folder: its events are in the first's, and the warning says so. */
  @Test
  void aRunOfTheFirstRawDateNamesTheEveWhoseEventsItHolds() {
    TestLake lake = new TestLake(dir.resolve("eve"));
    lake.writeJsonLines("clickstream", "2025-01-01", "events.jsonl", List.of(
        event("v1", null, "A5", "page_view", "2024-12-31T19:00:00Z", BROWSER),
        event("v2", null, "A5", "page_view", "2024-12-31T19:05:00Z", BROWSER),
        event("v3", null, "A6", "page_view", "2025-01-01T10:00:00Z", BROWSER)));
    JobHarness jobs = new JobHarness(lake);
    JobOutcome outcome = jobs.run(new ClickstreamEtl(), "--run-date", "2025-01-01");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertEquals(List.of("2 event(s) of raw date 2025-01-01 belong to sessions of other days (2024-12-31: 2), skipped"
        + " here as outside_run_date: a run of those days writes them (--run-date 2024-12-31), as does a run"
        + " without --run-date"), outcome.manifest().orElseThrow().getWarnings());
    assertEquals(0, jobs.run(new ClickstreamEtl(), "--run-date", "2024-12-31").exitCode(), jobs.stderr());
    assertEquals(3, jobs.read("processed/clickstream_events").count());
  }

  /**
   * The cache's storage level moves no row: the rolled-up sessions rely on the cache keeping each
   * partition's rows in the fold's order, in memory or on disk. The full run caches at the local level
   * (conf/local.conf: on disk only); this one at reference.conf's, what Glue and clusters use.
   */
  @Test
  void cachingInMemoryGivesTheSameOutputsAsOnDiskOnly() throws Exception {
    Path conf = Files.writeString(dir.resolve("in-memory.conf"),
        "shoplake.clickstream.persist-level = MEMORY_AND_DISK\n");
    JobHarness inMemory = new JobHarness(lake("in-memory"));
    JobOutcome outcome = inMemory.run(new ClickstreamEtl(), "--config-file", conf.toString());
    assertEquals(0, outcome.exitCode(), inMemory.stderr());
    assertSameOutputs(full, inMemory);
  }

  /** Every output of the two lakes has the same rows, but for the run's own columns. */
  private static void assertSameOutputs(JobHarness expected, JobHarness actual) {
    assertSameRows(sessions(expected), sessions(actual));
    assertSameRows(events(expected), events(actual));
    assertSameRows(expected.read("curated/traffic_hourly"), actual.read("curated/traffic_hourly"));
    assertSameRows(expected.read("curated/conversion_funnel_daily"), actual.read("curated/conversion_funnel_daily"));
    assertSameRows(expected.read("quarantine/clickstream").drop("run_id"),
        actual.read("quarantine/clickstream").drop("run_id"));
  }
}

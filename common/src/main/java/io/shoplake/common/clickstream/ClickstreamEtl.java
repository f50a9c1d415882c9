package io.shoplake.common.clickstream;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.transform.Ingest;
import io.shoplake.common.validation.RegistryScreen;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * Clickstream sessionization: raw events (JSON Lines) -> {@code processed/clickstream_events} (every
 * valid event once, with {@code is_bot} and its {@code session_id}), {@code processed/sessions}, and
 * the curated {@code traffic_hourly} and {@code conversion_funnel_daily}; rejects in
 * {@code quarantine/clickstream/}.
 *
 * <p>Dates: a session belongs to the UTC date of its first event, also when it runs past midnight,
 * and so do its events ({@code clickstream_events} is partitioned by session date; a bot event, in no
 * session, by its own date). A day's sessions and their events therefore live in one partition, and
 * rewriting a day never splits a session.
 *
 * <p>Without {@code --run-date} every raw date is read and every partition rebuilt. With
 * {@code --run-date D} the job reads raw dates D-1 to D+1 (a session of D can begin in D-1's file
 * and end in D+1's) and writes only day D. If a visitor's activity could continue a chain of events
 * from before the window into day D (no pause longer than the gap since the window's first hours),
 * the window is extended a day further back, until it cannot or the raw zone begins: so rerunning
 * D-1 and D, in any order, gives the same sessions as a full run. Rows read only for context (another
 * day's events, another raw date's rejects) are counted as skipped {@code outside_run_date}.
 *
 * <p>Cost: one JSON scan (cached), an aggregation of the ids, one shuffle and sort by visitor for the
 * sessions (one pass over the sorted events), one aggregation per output table, four writes.
 */
public final class ClickstreamEtl implements LakeJob {
  public static final String NAME = "clickstream";
  public static final String OUTSIDE_RUN_DATE = "outside_run_date";
  private static final Logger LOG = LoggerFactory.getLogger(ClickstreamEtl.class);
  static final List<String> PARTITION_COLUMNS = DayPartitions.COLUMNS;
  private static final String BOT_EVENTS = "bot_events";
  private static final List<String> EVENT_COLUMNS = List.of("event_id", "visitor_id", "user_id", "anonymous_id",
      "event_type", "event_ts", "page_url", "product_id", "transaction_id", "referrer", "device_type", "user_agent",
      "is_bot", "session_id", "session_start", "source_file", "ingested_at", "run_id", "job_name", "year", "month",
      "day");
  private static final List<String> SESSION_COLUMNS = List.of("session_id", "visitor_id", "user_id", "anonymous_id",
      "session_start", "session_end", "duration_s", "event_count", "page_views", "product_views", "searches",
      "add_to_carts", "remove_from_carts", "checkout_starts", "purchases", "converted", "bounced", "landing_page",
      "exit_page", "device_type", "referrer", "date", "hour", "ingested_at", "run_id", "job_name", "year", "month",
      "day");

  /** The session columns of rows in no session (rejected rows, bots), as one projection. */
  private static final Map<String, Column> NO_SESSION = Map.of(
      "session_id", lit(null).cast("string"),
      "session_start", lit(null).cast("timestamp"),
      "chain_start", lit(null).cast("timestamp"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(FlowStep.FILE_VERDICTS), List.of(), List.of("processed/clickstream_events",
        "processed/sessions", "curated/traffic_hourly", "curated/conversion_funnel_daily")));
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    LakeConfig.Clickstream settings = ctx.config().clickstream();
    String dataset = settings.dataset();
    RawZone rawZone = RegistryScreen.rawZone(ctx);
    List<InputFile> allFiles = rawZone.requireDataset(dataset).list(dataset, Optional.empty());
    Optional<LocalDate> runDate = ctx.args().runDate();
    List<String> warnings = new ArrayList<>(rawZone.validationWarnings());
    Map<String, Object> metrics = new LinkedHashMap<>();
    if (!ctx.bookmark().anyUnprocessed(allFiles) && !allFiles.isEmpty()) {
      warnings.add(FileBookmark.nothingNew("files under " + ctx.paths().raw(dataset)));
      return JobResult.nothingToDo(Map.of("events", ctx.paths().processed("clickstream_events")), warnings);
    }
    // A run for one date rewrites only that date: its files must stay unprocessed for the other dates.
    runDate.ifPresent(d -> ctx.bookmark().holdCommit("--run-date " + d + " rewrites only that date"));

    RawDataset declared = ClickstreamRules.events(settings.botUserAgentPatterns());
    Window window = sessionizedWindow(ctx, declared, allFiles, runDate);
    List<InputFile> files = window.files();
    metrics.put("raw_dates_read", window.from().equals(LocalDate.MIN) ? "all" : window.from() + ".." + window.to());
    Dataset<Row> outcome = outcome(window.classified(), runDate);
    ctx.stage("count rows by outcome");
    RowCounts counts = RowCounts.of(outcome, PARTITION_COLUMNS).verifiedAgainst("clickstream files", files);
    runDate.flatMap(d -> eventsOfOtherDays(counts, d)).ifPresent(warnings::add);
    SortedSet<String> scope = runDate.map(d -> (SortedSet<String>) new TreeSet<>(List.of(DayPartitions.name(d))))
        .orElse(null);
    Column toWrite = col(RowRules.REJECT_REASON).isNull()
        .and(runDate.isPresent() ? col(RowCounts.SKIP_REASON).isNull() : lit(true));

    ctx.stage("write processed/clickstream_events");
    String eventsPath = ctx.paths().processed("clickstream_events");
    Dataset<Row> written = outcome.filter(toWrite);
    // The bot events are counted by the write's own tasks: no second pass over the events.
    ObservedWrite.Observed eventsWritten = ObservedWrite.writeExpecting(
        written.select(EVENT_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new)), NAME + "_written",
        counts.rowsToWrite(), Map.of(BOT_EVENTS, count_if(col("is_bot"))),
        rows -> PartitionedParquet.replacePartitions(rows, eventsPath, PARTITION_COLUMNS,
            counts.partitionsToWrite(), scopeOr(scope, hadoopConf, eventsPath), hadoopConf));
    long rowsWritten = eventsWritten.rows();

    SortedMap<String, Long> sessionsByDay = writeSessions(ctx, written, scope);

    ctx.stage("write quarantine/" + dataset);
    SortedSet<String> quarantineDates = runDate.map(d -> (SortedSet<String>) new TreeSet<>(List.of(d.toString())))
        .orElse(InputFile.rawDates(files));
    DatasetSink.quarantine(ctx, outcome, declared, dataset, quarantineDates, counts.rawDatesWithRejects());

    metrics.put(BOT_EVENTS, ((Number) eventsWritten.metrics().getOrDefault(BOT_EVENTS, 0L)).longValue());
    metrics.put("sessions", sessionsByDay.values().stream().mapToLong(Long::longValue).sum());
    metrics.put("repeated_event_ids", window.staged().repeatedKeys());
    window.release();

    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("events", eventsPath);
    outputs.put("sessions", ctx.paths().processed("sessions"));
    outputs.put("traffic_hourly", ctx.paths().curated("traffic_hourly"));
    outputs.put("conversion_funnel_daily", ctx.paths().curated("conversion_funnel_daily"));
    outputs.put("quarantine", ctx.paths().quarantine(dataset));
    if (files.isEmpty()) {
      warnings.add("no input files under " + ctx.paths().raw(dataset) + ": nothing to sessionize");
    }
    return new JobResult(files, counts.rowsRead(), rowsWritten, counts.rejectedByReason(), counts.skippedByReason(),
        new ArrayList<>(counts.partitionsToWrite()), outputs, metrics, warnings);
  }

  /**
   * The rows of a window of raw dates, staged, deduplicated and sessionized (cached: the counts and four
   * writes read them).
   *
   * @param cache the persisted classification, which {@link #release} unpersists
   * @param from the first raw date read ({@link LocalDate#MIN}: all)
   * @param to the last raw date read ({@link LocalDate#MAX}: all)
   */
  private record Window(List<InputFile> files, Staged staged, Dataset<Row> cache, LocalDate from, LocalDate to) {
    /** The classified rows, read from the cache ({@link CachedPlans#startingAtCache}). */
    Dataset<Row> classified() {
      return CachedPlans.startingAtCache(cache);
    }

    void release() {
      cache.unpersist();
      staged.release();
    }
  }

  /**
   * Every raw date, or for {@code --run-date D} D-1..D+1 widened back a day at a time while a visitor's
   * chain of events could reach into D from before the window. Cost per widening: one count over the
   * cached rows, then the window is staged again.
   */
  private static Window sessionizedWindow(JobContext ctx, RawDataset declared, List<InputFile> allFiles,
      Optional<LocalDate> runDate) {
    LakeConfig.Clickstream settings = ctx.config().clickstream();
    StorageLevel cacheLevel = StorageLevel.fromString(settings.persistLevel());
    LocalDate earliest = allFiles.stream().map(f -> LocalDate.parse(f.rawDate())).min(LocalDate::compareTo)
        .orElse(LocalDate.MIN);
    LocalDate from = runDate.map(d -> d.minusDays(1)).orElse(LocalDate.MIN);
    LocalDate to = runDate.map(d -> d.plusDays(1)).orElse(LocalDate.MAX);
    while (true) {
      LocalDate lo = from;
      List<InputFile> files = allFiles.stream().filter(f -> !LocalDate.parse(f.rawDate()).isBefore(lo)
          && !LocalDate.parse(f.rawDate()).isAfter(to)).toList();
      ctx.fitToInputFiles(files);
      ctx.stage("read, validate and deduplicate " + files.size() + " raw file(s)"
          + runDate.map(d -> " (raw dates " + lo + " to " + to + " for " + d + ")").orElse(""));
      Staging.Run run = Staging.Run.of(ctx);
      Staged staged = Staging.stage(ctx.spark(), declared, files, run, cacheLevel);
      ctx.stage("sessionize");
      Dataset<Row> events = staged.deduplicated();
      Map<String, Column> sameForEveryKept = sameForEveryKeptEvent(events.schema(), run);
      Dataset<Row> kept = events.filter(col(RowRules.REJECT_REASON).isNull());
      Dataset<Row> sessionized = kept.filter(not(col("is_bot")))
          .drop(sameForEveryKept.keySet().toArray(String[]::new))
          .transform(Sessionization.withSessions(settings.inactivityGap(), settings.maxSessionLength()))
          .withColumns(sameForEveryKept)
          .unionByName(kept.filter(col("is_bot")).withColumns(sameForEveryKept).withColumns(NO_SESSION));
      Dataset<Row> cache = staged.rejected().withColumns(NO_SESSION)
          .unionByName(events.filter(col(RowRules.REJECT_REASON).isNotNull()).withColumns(NO_SESSION))
          .unionByName(sessionized)
          .withColumn("date", coalesce(to_date(col("session_start")), to_date(col("event_ts"))))
          .persist(cacheLevel);
      Window window = new Window(files, staged, cache, from, to);
      if (runDate.isEmpty() || !from.isAfter(earliest)) {
        return window;
      }
      // An event from day D on, on a chain that began in the window's first gap (which may have begun earlier).
      long onOpenChains = window.classified().filter(col("chain_start").lt(Timestamp.from(
              from.atStartOfDay().toInstant(ZoneOffset.UTC).plus(settings.inactivityGap())))
          .and(col("event_ts").geq(Timestamp.from(runDate.get().atStartOfDay().toInstant(ZoneOffset.UTC)))))
          .count();
      if (onOpenChains == 0) {
        return window;
      }
      LOG.info("{}: {} event(s) from {} on are on chains that may continue from before {}: reading one more raw date",
          NAME, onOpenChains, runDate.get(), from);
      window.release();
      from = from.minusDays(1);
    }
  }

  /**
   * The columns whose value is the same for every kept (not rejected) event, by name: null for its fields
   * as read ({@link RawFields#RAW}: only quarantine writes them), its corrupt-record text, line fault and
   * reject reason; the run's constants for the ingest columns. The sessionization does not carry them
   * through its shuffle and sorts, where each column widens every row shuffled, sorted and spilled: they
   * are dropped before it and put back after it (at the 1M-transaction bench, 5.6M events, the shuffle
   * shrank from 2.6 to 2.1 GB: docs/BENCHMARKS.md, seventeenth round).
   */
  private static Map<String, Column> sameForEveryKeptEvent(StructType schema, Staging.Run run) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (String nullForKept : List.of(RawFields.RAW, RawFields.CORRUPT_RECORD, JsonLinesSource.LINE_FAULT,
        RowRules.REJECT_REASON)) {
      columns.put(nullForKept, lit(null).cast(schema.apply(nullForKept).dataType()));
    }
    columns.putAll(Ingest.columns(run.runId(), run.jobName(), run.startedAt()));
    return columns;
  }

  /**
   * A warning for the events of the run's own raw date that belong to sessions of other days (a session before
   * midnight delivered the next day, a clock off by hours): this run skips them as {@link #OUTSIDE_RUN_DATE},
   * among the neighbouring dates' rows it reads for context, and only a run of their day writes them, or a run
   * without {@code --run-date}. A day no raw folder is named after (the eve of the first) gets no such run from a
   * schedule that runs each raw date. Empty when there are none. From the counts, no Spark job.
   */
  static Optional<String> eventsOfOtherDays(RowCounts counts, LocalDate runDate) {
    SortedMap<String, Long> byPartition = counts.skippedByRawDate().get(runDate.toString());
    if (byPartition == null || byPartition.isEmpty()) {
      return Optional.empty();
    }
    long events = byPartition.values().stream().mapToLong(Long::longValue).sum();
    SortedMap<LocalDate, Long> byDay = new TreeMap<>(); // partition names sort day=10 before day=9
    byPartition.forEach((partition, n) -> byDay.put(DayPartitions.date(partition), n));
    List<String> days = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    byDay.forEach((day, n) -> {
      days.add(day + ": " + n);
      runs.add("--run-date " + day);
    });
    return Optional.of(events + " event(s) of raw date " + runDate + " belong to sessions of other days ("
        + String.join(", ", days) + "), skipped here as " + OUTSIDE_RUN_DATE + ": a run of those days writes them ("
        + String.join(", ", runs) + "), as does a run without --run-date");
  }

  /**
   * The outcome of each row, with its day partition: with a run date, that date's rows are written or
   * quarantined and the rows read only for context are skipped as {@link #OUTSIDE_RUN_DATE}.
   */
  private static Dataset<Row> outcome(Dataset<Row> classified, Optional<LocalDate> runDate) {
    Dataset<Row> outcome = classified;
    if (runDate.isPresent()) {
      String d = runDate.get().toString();
      Column ownRawDate = col("raw_date").equalTo(d);
      Column rejected = col(RowRules.REJECT_REASON).isNotNull();
      outcome = classified
          .withColumn(RowCounts.SKIP_REASON, when(rejected.and(not(ownRawDate)), lit(OUTSIDE_RUN_DATE))
              .when(not(rejected).and(col("date").notEqual(lit(java.sql.Date.valueOf(runDate.get())))),
                  lit(OUTSIDE_RUN_DATE)))
          .withColumn(RowRules.REJECT_REASON, when(ownRawDate, col(RowRules.REJECT_REASON)));
    }
    return outcome.transform(DayPartitions.withDayOf(col("date")));
  }

  /**
   * Builds the sessions of the written events and replaces the day partitions of processed/sessions,
   * curated/traffic_hourly and curated/conversion_funnel_daily they fill (in {@code scope}, or all);
   * returns the sessions per day. Cost: one pass over the written events, which are still in the
   * sessionization's order (the cache keeps each partition's rows in order; {@link
   * SessionMetrics#toSessionsInSessionizedOrder}), the sessions cached; one aggregation per curated table;
   * three writes.
   */
  private static SortedMap<String, Long> writeSessions(JobContext ctx, Dataset<Row> written, SortedSet<String> scope) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    ctx.stage("build and write processed/sessions");
    Dataset<Row> cachedSessions = SessionMetrics.toSessionsInSessionizedOrder(
            written.filter(col("session_id").isNotNull()))
        .transform(Ingest.withIngestColumns(ctx.runId(), NAME, ctx.startedAt()))
        .select(SESSION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> sessions = CachedPlans.startingAtCache(cachedSessions);
    SortedMap<String, Long> sessionsByDay = DayPartitions.rowCounts(sessions);
    SortedSet<String> sessionPartitions = new TreeSet<>(sessionsByDay.keySet());
    String sessionsPath = ctx.paths().processed("sessions");
    PartitionedParquet.replacePartitions(sessions, sessionsPath, PARTITION_COLUMNS, sessionPartitions,
        scopeOr(scope, hadoopConf, sessionsPath), hadoopConf);

    ctx.stage("write curated/traffic_hourly and curated/conversion_funnel_daily");
    String trafficPath = ctx.paths().curated("traffic_hourly");
    String funnelPath = ctx.paths().curated("conversion_funnel_daily");
    // One file per day whatever the shuffle's partition count (hourly rows are few; without AQE's
    // coalescing, each shuffle partition would write its own small file into every day).
    Dataset<Row> trafficByDay = SessionMetrics.trafficHourly(sessions)
        .repartition(PARTITION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    PartitionedParquet.replacePartitions(trafficByDay, trafficPath, PARTITION_COLUMNS,
        sessionPartitions, scopeOr(scope, hadoopConf, trafficPath), hadoopConf);
    PartitionedParquet.replacePartitions(SessionMetrics.conversionFunnelDaily(sessions), funnelPath,
        PARTITION_COLUMNS, sessionPartitions, scopeOr(scope, hadoopConf, funnelPath), hadoopConf);
    cachedSessions.unpersist();
    return sessionsByDay;
  }

  private static SortedSet<String> scopeOr(SortedSet<String> scope, Configuration hadoopConf, String path) {
    return scope != null ? scope : PartitionedParquet.listPartitions(hadoopConf, path, 3);
  }
}

package io.shoplake.common.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.ParquetRead;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.pii.HmacSha256;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.state.JsonState;
import io.shoplake.common.state.StateCommit;
import io.shoplake.common.transform.Ingest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

/**
 * JDBC extraction from stg_core into {@code processed/stg_core/<table>/year=/month=/day=} (by
 * {@code updated_at}), incremental per table.
 *
 * <p>Per table: the watermark of the last committed run ({@code _state/jdbc-extract/<table>.json}: updated_at and
 * id, beside the copy's columns) and the table's current MAX(updated_at) (the snapshot bound) give the batch: rows
 * changed after the watermark and up to the bound ({@link Watermark}). Large tables are read in N id ranges
 * (bounds from MIN/MAX of the batch) with a fetch size. The batch replaces the older versions of its ids wherever
 * they are in the processed dataset (the partitions it touches are rewritten), so the dataset keeps one row per
 * id, its latest. The watermarks are returned with the result and committed by the runner once every table is
 * written and the run's checks passed; an empty batch keeps its table's; a failed run leaves them all, so the
 * rerun reads the same rows again (and rewrites the same partitions: nothing is counted twice).
 *
 * <p>Options: {@code --full-reload <table>} (or {@code all}) reads the table whole and rebuilds its
 * dataset; {@code --reset <table>} (or {@code all}) forgets the watermark before the run.
 *
 * <p>Connection failures of the first queries are retried with backoff ({@code shoplake.stg-core.retry-*});
 * once the bounds are read, Spark's own task retries cover the read.
 *
 * <p>Every column is copied, with its value as stored ({@link SourceColumns}); a table whose columns
 * changed since its copy was written is read whole and its copy rebuilt ({@link SchemaChange}).
 *
 * <p>Cost per table: three small queries (columns, bounds), one JDBC read of the batch (cached: written and
 * counted), and when the dataset exists, a scan of the id column and the partitions the batch touches;
 * after a change of the table's columns, one read of the whole table instead.
 */
public final class JdbcExtract implements LakeJob {
  public static final String NAME = "jdbc-extract";
  private static final TypeReference<Map<String, String>> STATE = new TypeReference<>() {};

  /** Runs after a table's write, before its watermark is handed to the runner: a test hook for failures. */
  private final Runnable beforeCommit;

  public JdbcExtract() {
    this(() -> { });
  }

  JdbcExtract(Runnable beforeCommit) {
    this.beforeCommit = beforeCommit;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsPiiKey() {
    return true;
  }

  @Override
  public boolean needsStgCore(LakeConfig config) {
    return true;
  }

  /** With the pipeline's {@code --extract-stg-core} only: the copy of stg_core, before anything else. */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(new FlowStep(NAME, List.of(), List.of(), List.of(), List.of(FlowStep.STG_CORE_COPY),
        java.util.Optional.of("extract-stg-core")));
  }

  @Override
  public JobResult run(JobContext ctx) {
    StgCoreConnection connection = ctx.requireStgCore();
    List<String> tables = ctx.config().stgCore().tables();
    for (String table : tables) {
      if (!table.matches("[A-Za-z0-9_]{1,64}")) {
        throw new IllegalArgumentException("Cannot extract table '" + table + "': not a plain table name");
      }
    }
    long rowsRead = 0;
    long rowsWritten = 0;
    Map<String, Long> rejected = new java.util.TreeMap<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    List<String> partitions = new ArrayList<>();
    List<StateCommit> commits = new ArrayList<>();
    for (String table : tables) {
      Map<String, Object> tableMetrics = new LinkedHashMap<>();
      Extracted n = extract(ctx, connection, table, tableMetrics, partitions, commits, warnings);
      rowsRead += n.rows() + n.zeroDated() + n.nullDated();
      rowsWritten += n.rows();
      n.undated().forEach((reason, count) -> {
        rejected.merge(reason, count, Long::sum);
        warnings.add(count + " row(s) of stg_core." + table + " have updated_at "
            + (reason.equals(ZERO_UPDATED_AT) ? "0000-00-00" : "NULL") + " (neither partitioned nor read"
            + " incrementally): in " + ctx.paths().quarantine("stg_core/" + table) + "; set their updated_at at the"
            + " source");
      });
      metrics.put(table, tableMetrics);
      outputs.put(table, ctx.paths().processed("stg_core/" + table));
    }
    metrics.put("jdbc_url", connection.maskedUrl());
    return new JobResult(List.of(), rowsRead, rowsWritten, rejected, partitions, outputs, metrics, warnings)
        .withState(commits);
  }

  private static boolean selected(JobContext ctx, String option, String table) {
    return JobOption.listValue(ctx.args(), option, ctx.config().stgCore().tables()).contains(table);
  }

  /**
   * {@code --full-reload} and {@code --reset}: {@code all} or some of the configured tables. A table
   * that is not configured is refused, not ignored (a typo would otherwise reload nothing).
   */
  @Override
  public List<JobOption> options(LakeConfig config) {
    return List.of(JobOption.list("full-reload", config.stgCore().tables()),
        JobOption.list("reset", config.stgCore().tables()));
  }

  /** The reason of a row whose {@code updated_at} is MySQL's zero date: nothing to partition or resume by. */
  static final String ZERO_UPDATED_AT = "zero_updated_at";

  /** The reason of a row whose {@code updated_at} is NULL (a nullable column): the same. */
  static final String NULL_UPDATED_AT = "null_updated_at";

  /**
   * @param rows the table's rows written
   * @param zeroDated its rows quarantined for a zero {@code updated_at}
   * @param nullDated its rows quarantined for a NULL {@code updated_at}
   */
  private record Extracted(long rows, long zeroDated, long nullDated) {
    /** Rows quarantined by reason, those with any. */
    Map<String, Long> undated() {
      Map<String, Long> undated = new LinkedHashMap<>();
      if (zeroDated > 0) {
        undated.put(ZERO_UPDATED_AT, zeroDated);
      }
      if (nullDated > 0) {
        undated.put(NULL_UPDATED_AT, nullDated);
      }
      return undated;
    }
  }

  private Extracted extract(JobContext ctx, StgCoreConnection connection, String table, Map<String, Object> metrics,
      List<String> partitions, List<StateCommit> commits, List<String> warnings) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    String path = ctx.paths().processed("stg_core/" + table);
    JsonState state = new JsonState(ctx.paths().state(NAME) + "/" + table + ".json", hadoopConf);
    boolean fullReload = selected(ctx, "full-reload", table);
    Optional<Map<String, String>> committed = fullReload || selected(ctx, "reset", table) ? Optional.empty()
        : state.read(STATE);
    Optional<Watermark> after = committed.map(m -> new Watermark(LocalDateTime.parse(m.get("updated_at")),
        m.get("id")));
    ctx.stage("bounds of " + table + after.map(w -> " after " + w.updatedAt() + " / " + w.id()).orElse(" (all rows)"));

    Retry retry = Retry.of(ctx.config().stgCore().retry());
    Bounds bounds = bounds(connection, table, after, retry);
    metrics.put("watermark_before", after.map(Watermark::toString).orElse("none"));
    if (bounds.rows() == 0) {
      metrics.put("rows", 0L);
      metrics.put("watermark_after", metrics.get("watermark_before"));
      return new Extracted(0, 0, 0);
    }
    ctx.stage("read " + bounds.rows() + " changed row(s) of " + table);
    Dataset<Row> batch = load(ctx, connection, table, bounds);
    Dataset<Row> existing = !fullReload && PartitionedParquet.exists(hadoopConf, path)
        ? ParquetRead.read(ctx.spark(), path) : null;
    Optional<String> change = existing == null ? Optional.empty()
        : SchemaChange.between(committedColumns(committed).orElse(existing.schema()),
            batch.drop(UPDATED_AT_TEXT).schema());
    if (change.isPresent()) { // the copy is rebuilt from the whole table, as --full-reload does (SchemaChange)
      warnings.add("stg_core." + table + "'s columns changed since its copy was written (" + change.get()
          + "): read whole and rebuilt");
      metrics.put("columns_changed", change.get());
      fullReload = true;
      after = Optional.empty();
      existing = null;
      ctx.stage("bounds of " + table + " (all rows: its columns changed)");
      bounds = bounds(connection, table, after, retry);
      ctx.stage("read " + bounds.rows() + " row(s) of " + table);
      batch = load(ctx, connection, table, bounds);
    }
    metrics.put("read_partitions", batch.javaRDD().getNumPartitions());
    List<String> asText = bounds.columns().readAsText();
    if (!asText.isEmpty()) {
      metrics.put("columns_as_text", asText);
    }
    Map<String, String> renamed = bounds.columns().renames();
    if (!renamed.isEmpty()) {
      metrics.put("columns_renamed", renamed);
    }
    Dataset<Row> persisted = batch.persist(StorageLevel.MEMORY_AND_DISK());
    batch = CachedPlans.startingAtCache(persisted);
    // What is written and counted; the batch keeps MySQL's text of updated_at for the watermark only.
    Dataset<Row> written = batch.drop(UPDATED_AT_TEXT);

    // Merge: the batch replaces older versions of its ids in the partitions where they are.
    ctx.stage("merge and write " + table);
    DayPartitions.Counts dayCounts = DayPartitions.counts(written);
    SortedMap<String, Long> batchPartitions = dayCounts.byPartition();
    long undated = dayCounts.undated();
    // Both read as null; MySQL's text tells them apart. A count of the cached batch, only when there are any.
    long nullDated = undated > 0 ? batch.filter(col(UPDATED_AT_TEXT).isNull()).count() : 0;
    long zeroDated = undated - nullDated;
    quarantineUndated(ctx, table, batch, undated, after.isEmpty());
    if (batchPartitions.isEmpty()) { // no row of the batch has a time: nothing to write, the watermark stays
      persisted.unpersist();
      if (fullReload) { // the dataset rebuilt from the table is empty
        PartitionedParquet.deletePartitions(hadoopConf, path, PartitionedParquet.listPartitions(hadoopConf, path, 3));
      }
      metrics.put("rows", 0L);
      metrics.put("rows_" + ZERO_UPDATED_AT, zeroDated);
      metrics.put("rows_" + NULL_UPDATED_AT, nullDated);
      metrics.put("watermark_after", metrics.get("watermark_before"));
      return new Extracted(0, zeroDated, nullDated);
    }
    if (undated > 0) {
      written = written.filter(col("updated_at").isNotNull());
    }
    TreeSet<String> touched = new TreeSet<>(batchPartitions.keySet());
    Dataset<Row> out = written;
    if (existing != null) {
      Dataset<Row> ids = written.select(col("id").as("_batch_id"));
      touched.addAll(DayPartitions.rowCounts(existing.join(broadcast(ids), col("id").equalTo(col("_batch_id")),
          "left_semi")).keySet());
      out = written.unionByName(DayPartitions.onDates(existing, DayPartitions.dates(touched))
          .join(broadcast(ids), col("id").equalTo(col("_batch_id")), "left_anti"));
    }
    SortedMap<String, Long> outPartitions = DayPartitions.rowCounts(out);
    long outRows = outPartitions.values().stream().mapToLong(Long::longValue).sum();
    // The rows read, not the earlier COUNT: a row updated again since then has left the snapshot bound.
    long rows = batchPartitions.values().stream().mapToLong(Long::longValue).sum();
    long carried = outRows - rows;
    // A rebuild replaces every partition of the copy, also those the table no longer has rows in.
    Collection<String> replaced = fullReload ? PartitionedParquet.listPartitions(hadoopConf, path, 3) : touched;
    ObservedWrite.writeExpecting(out, NAME + "_" + table, outRows, r -> PartitionedParquet.replacePartitions(r,
        path, DayPartitions.COLUMNS, outPartitions.keySet(), replaced, hadoopConf));
    Row last = batch.filter(col("updated_at").isNotNull()).orderBy(col("updated_at").desc(), col("id").desc())
        .select(UPDATED_AT_TEXT, "id").first();
    persisted.unpersist();

    beforeCommit.run();
    Watermark next = new Watermark(Watermark.parseMysqlTime(last.getString(0)), String.valueOf(last.get(1)));
    // Kept only when the whole run succeeds: the runner commits it after every table's output.
    commits.add(StateCommit.json(state, Map.of("updated_at", next.updatedAt().toString(), "id", next.id(),
        COLUMNS, written.schema().json())));
    metrics.put("rows", rows);
    metrics.put("rows_carried_over", carried);
    metrics.put("rows_" + ZERO_UPDATED_AT, zeroDated);
    metrics.put("rows_" + NULL_UPDATED_AT, nullDated);
    metrics.put("watermark_after", next.toString());
    touched.forEach(p -> partitions.add(table + "/" + p));
    return new Extracted(rows, zeroDated, nullDated);
  }

  /**
   * The state's key of the copy's columns (Spark's JSON of the schema), committed with the watermark. A run
   * killed while it rebuilt a copy leaves some partitions of the old columns and the old state, so the rerun
   * still sees the change and rebuilds again; one file's footer could not tell.
   */
  private static final String COLUMNS = "columns";

  /** The columns committed with the watermark; empty for state written before they were. */
  private static Optional<StructType> committedColumns(Optional<Map<String, String>> committed) {
    return committed.map(m -> m.get(COLUMNS)).map(json -> (StructType) DataType.fromJson(json));
  }

  /**
   * MySQL's own text of each row's {@code updated_at}, read beside it for the watermark only. The timestamp
   * Spark holds is an instant, made from the DATETIME's wall-clock time in the connection's zone; the text is
   * the wall-clock time itself, which the next run's condition compares with, whatever zone the JVM or the
   * JDBC URL has.
   */
  private static final String UPDATED_AT_TEXT = "_updated_at_text";

  /**
   * The batch of {@code bounds} as it is written, not yet read: the table's columns (those no Spark type holds
   * as text, those named like the lake's columns renamed: {@link SourceColumns}), {@code email} as
   * {@code email_hash}, and the lake's columns. Spark asks the server for the result's columns here (a query
   * that returns no row); the rows are read when the batch is first used.
   */
  private static Dataset<Row> load(JobContext ctx, StgCoreConnection connection, String table, Bounds bounds) {
    DataFrameReader reader = connection.reader(ctx.spark(),
        "SELECT " + bounds.columns().selectList() + ", CAST(updated_at AS CHAR) AS " + UPDATED_AT_TEXT + " FROM `"
            + table + "` WHERE " + bounds.condition(),
        ctx.config().stgCore().fetchSize());
    int parts = ctx.config().stgCore().parallelTables().contains(table) && bounds.idRangesFit()
        ? ctx.config().stgCore().partitions() : 1;
    if (parts > 1) {
      reader = reader.option("partitionColumn", "id").option("lowerBound", bounds.minId())
          .option("upperBound", bounds.maxId()).option("numPartitions", String.valueOf(parts));
    }
    Dataset<Row> batch = reader.load();
    for (Map.Entry<String, String> rename : bounds.columns().renames().entrySet()) {
      batch = batch.withColumnRenamed(rename.getKey(), rename.getValue());
    }
    Optional<String> email = bounds.columns().email();
    if (email.isPresent()) {
      batch = batch.withColumn("email_hash", udf(new HmacSha256(ctx.requirePiiKey()), DataTypes.StringType)
          .apply(col(email.get()))).drop(email.get());
    }
    return batch
        .withColumn("source_table", lit("stg_core." + table))
        .transform(Ingest.withIngestColumns(ctx.runId(), NAME, ctx.startedAt()))
        .withColumn("year", year(col("updated_at")))
        .withColumn("month", month(col("updated_at")))
        .withColumn("day", dayofmonth(col("updated_at")));
  }

  /**
   * The rows whose {@code updated_at} read as null (MySQL's zero date, {@link StgCoreConnection#ZERO_DATES}, or
   * NULL) to {@code quarantine/stg_core/<table>/}, with {@code reject_reason}: a day partition and the watermark
   * both need the time. Only a read of the whole table meets them ({@code updated_at > watermark} never holds
   * for either), so such a read replaces the folder, and one without them removes it; an incremental read
   * leaves it. Costs a write of those rows from the cached batch, only when there are any.
   */
  private static void quarantineUndated(JobContext ctx, String table, Dataset<Row> batch, long undated,
      boolean wholeTable) {
    String path = ctx.paths().quarantine("stg_core/" + table);
    if (undated > 0) {
      batch.filter(col("updated_at").isNull()).drop("year", "month", "day")
          .withColumn("reject_reason", when(col(UPDATED_AT_TEXT).isNull(), lit(NULL_UPDATED_AT))
              .otherwise(lit(ZERO_UPDATED_AT)))
          .drop(UPDATED_AT_TEXT)
          .write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(path);
    } else if (wholeTable) {
      Path folder = new Path(path);
      try {
        folder.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration()).delete(folder, true);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot remove the quarantine of stg_core." + table + " at " + path + ": "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * @param condition the batch's WHERE condition
   * @param rows rows in the batch
   * @param numericId whether id is a number (range partitioning applies)
   * @param minId smallest id of the batch (numeric ids), else null
   * @param maxId largest id of the batch (numeric ids), else null
   * @param columns the table's columns, as the server describes them
   */
  record Bounds(String condition, long rows, boolean numericId, String minId, String maxId, SourceColumns columns) {
    /**
     * Whether Spark can split the batch into id ranges: its bounds are longs. A BIGINT UNSIGNED id past 2^63 (or
     * a fraction in a DECIMAL id) failed the read with a NumberFormatException; such a batch is read whole.
     */
    boolean idRangesFit() {
      return numericId && fitsLong(minId) && fitsLong(maxId);
    }

    private static boolean fitsLong(String id) {
      try {
        Long.parseLong(id);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  /**
   * The snapshot bound, the id type and the batch's size and id range: two small queries, retried on
   * connection failures ({@link Retry}). Fails with one line naming the table, the masked URL and, after
   * retries, the number of attempts; nothing has been written and no state changed by then.
   */
  private static Bounds bounds(StgCoreConnection connection, String table, Optional<Watermark> after, Retry retry) {
    try {
      return retry.run(() -> queryBounds(connection, table, after));
    } catch (Retry.Exhausted e) {
      throw new IllegalStateException("Cannot read the bounds of stg_core." + table + " at " + connection.maskedUrl()
          + " after " + e.attempts() + " attempts: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the bounds of stg_core." + table + " at " + connection.maskedUrl()
          + ": " + e.getMessage(), e);
    }
  }

  private static Bounds queryBounds(StgCoreConnection connection, String table, Optional<Watermark> after)
      throws SQLException {
    try (Connection c = connection.open();
        Statement s = c.createStatement()) {
      SourceColumns columns = SourceColumns.read(c, table);
      LocalDateTime upTo;
      boolean numericId;
      try (ResultSet r = s.executeQuery("SELECT MAX(updated_at), MIN(id) FROM `" + table + "`")) {
        r.next();
        LocalDateTime max = r.getObject(1, LocalDateTime.class); // the wall-clock time, whatever the JVM's zone
        int type = r.getMetaData().getColumnType(2);
        numericId = type == Types.BIGINT || type == Types.INTEGER || type == Types.SMALLINT || type == Types.DECIMAL
            || type == Types.NUMERIC;
        upTo = max;
      }
      // No dated row: an empty table, or (on a whole read) one whose every updated_at is a zero date, read
      // whole so that its rows reach the quarantine; an incremental read never meets zero dates.
      String condition = upTo != null ? Watermark.changedUpTo(after, upTo, numericId)
          : after.isEmpty() ? "1 = 1" : "1 = 0";
      try (ResultSet r = s.executeQuery("SELECT COUNT(*), MIN(id), MAX(id) FROM `" + table + "` WHERE " + condition)) {
        r.next();
        return new Bounds(condition, r.getLong(1), numericId, r.getString(2), r.getString(3), columns);
      }
    }
  }
}

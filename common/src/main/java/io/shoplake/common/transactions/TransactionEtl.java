package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.RecordAccounting;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.validation.RegistryScreen;
import io.shoplake.common.pii.HmacSha256;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Deduplication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Transaction ETL: raw CSV -> validated, deduplicated, derived, PII-masked Parquet in
 * {@code processed/transactions/year=/month=/day=}, rejects in {@code quarantine/transactions/}.
 *
 * <p>Source: the raw files of every date, or of {@code --run-date} only; or, with
 * {@code shoplake.transactions.source = jdbc}, stg_core's order items ({@link StgCoreTransactions}),
 * as the same string columns, through the same path. Transform: rules
 * ({@link TransactionRules}), typing, amounts, USD conversion, event-time parts, e-mail hash, ingest
 * columns, and deduplication on {@code transaction_id} (latest {@code transaction_ts} wins).
 *
 * <p>Merging with what is already processed: the processed partitions this run touches (the event
 * days of its rows, and the days where its transaction ids already are) are rewritten from the rows
 * of this run plus the rows already there that came from other files. Rows that came from this run's
 * own files are replaced, so a rerun of the same input gives the same rows; a transaction id that
 * reappears in a later file replaces its older version wherever it was. This costs one scan of the
 * {@code transaction_id} and {@code source_file} columns of processed/transactions when it exists.
 *
 * <p>Cost on a fresh lake: one CSV scan whose typed rows are cached, one narrow aggregation of the
 * ids to find the repeated ones, two count aggregations, a broadcast join and two writes. No shuffle
 * of whole rows unless many ids repeat.
 */
public final class TransactionEtl implements LakeJob {
  public static final String NAME = "transactions";
  /** Repeated ids up to this count are broadcast; beyond, the dedup join shuffles. */
  static final long BROADCAST_REPEATED_KEYS_LIMIT = 2_000_000L;

  private static final String ORIGIN = "_origin";
  private static final String FROM_INPUT = "input";
  private static final String FROM_LAKE = "lake";
  private static final String RAW = TransactionRules.RAW;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean needsPiiKey() {
    return true;
  }

  @Override
  public boolean needsStgCore(io.shoplake.common.config.LakeConfig config) {
    return config.transactions().fromStgCore();
  }

  @Override
  public JobResult run(JobContext ctx) {
    SparkSession spark = ctx.spark();
    LakePaths paths = ctx.paths();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    String dataset = ctx.config().transactions().dataset();
    String processedPath = paths.processed(dataset);
    RawZone rawZone = RegistryScreen.rawZone(ctx);
    TransactionInput input = ctx.config().transactions().fromStgCore() ? StgCoreTransactions.read(ctx)
        : csvInput(ctx, rawZone, dataset);
    List<InputFile> files = input.units();
    List<String> warnings = new ArrayList<>(rawZone.validationWarnings());
    int reportedRejects = warnings.size();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("processed", processedPath);
    outputs.put("quarantine", paths.quarantine(dataset));
    if (files.isEmpty()) {
      warnings.add(input.whenEmpty() + ": nothing to do");
      return new JobResult(files, 0, 0, Map.of(), List.of(), outputs, Map.of(), warnings);
    }
    if (ctx.piiKey().map(k -> k.isDevelopmentKey()).orElse(false)) {
      warnings.add("customer e-mails hashed with the DEVELOPMENT key (no " + ctx.config().pii().hashKeyEnv() + " set)");
    }

    FxRateSource.Loaded fx = FxRateSource.load(spark,
        rawZone.list(ctx.config().transactions().fxRatesDataset(), java.util.Optional.empty()),
        paths, ctx.config().transactions().fxRatesDataset(), ctx.runId(), ctx.config().validate().latestAcceptedTime(ctx.startedAt()));
    List<String> validation = rawZone.validationWarnings(); // now with the FX files left out
    warnings.addAll(validation.subList(reportedRejects, validation.size()));
    if (fx.rowsRead() == 0) {
      warnings.add("no FX rates under " + paths.raw(ctx.config().transactions().fxRatesDataset())
          + ": net_amount_usd is null for every row");
    }

    ctx.stage("read, validate and derive " + files.size() + " input(s)");
    // Source -> clean -> rules -> typed and derived, computed once and cached: every later step
    // (repeated ids, counts, the two writes) reads these rows, never the CSV again.
    UserDefinedFunction emailHash = udf(new HmacSha256(ctx.requirePiiKey()), DataTypes.StringType);
    Dataset<Row> staged = Staging.validated(input.rows(), TransactionRules.DATASET, Staging.Run.of(ctx),
            input.sourceRules())
        .drop(input.helperColumns().toArray(new String[0]))
        .transform(TransactionTransforms.withMaskedEmail(emailHash))
        .transform(TransactionTransforms::withAmounts)
        .transform(TransactionTransforms.withUsdAmounts(fx.ranges()))
        .transform(TransactionTransforms::withHour);
    String persistLevel = ctx.config().transactions().persistLevel();
    if (!persistLevel.equals("NONE")) {
      staged = staged.persist(StorageLevel.fromString(persistLevel));
    }
    Dataset<Row> invalid = staged.filter(col(RowRules.REJECT_REASON).isNotNull());
    Dataset<Row> batch = staged.filter(col(RowRules.REJECT_REASON).isNull()).drop(RowRules.REJECT_REASON)
        .withColumn(ORIGIN, lit(FROM_INPUT));

    // Merge with the processed rows of the partitions this run touches.
    Set<String> touchedPartitions = new TreeSet<>();
    Dataset<Row> candidates = batch;
    // Before the processed rows are listed: a commit a killed run left half done is finished first, or the
    // rows of a partition it had deleted but not yet moved back would be missing from the merge.
    PartitionedParquet.removeStaleStaging(hadoopConf, processedPath, null);
    if (PartitionedParquet.exists(hadoopConf, processedPath)) {
      Dataset<Row> existing = spark.read().schema(TransactionSchema.processed()).parquet(processedPath);
      Dataset<Row> batchIds = batch.select(col("transaction_id")).distinct();
      List<String> inputPaths = files.stream().map(InputFile::relativePath).toList();
      // Touched: the days of this run's rows, the days holding one of its ids, and the days holding
      // rows from its own files (so a corrected file leaves none of its old rows behind).
      Dataset<Row> touched = batch.select("year", "month", "day")
          .union(existing.join(batchIds, "transaction_id").select("year", "month", "day"))
          .union(existing.filter(col("source_file").isin(inputPaths.toArray())).select("year", "month", "day"))
          .distinct();
      List<Row> touchedRows = touched.collectAsList();
      touchedRows.forEach(r -> touchedPartitions.add(partitionName(r.getInt(0), r.getInt(1), r.getInt(2))));
      Dataset<Row> touchedKeys = spark.createDataFrame(touchedRows, touched.schema())
          .toDF("t_year", "t_month", "t_day");
      Dataset<Row> carried = existing
          .join(broadcast(touchedKeys), col("year").equalTo(col("t_year"))
              .and(col("month").equalTo(col("t_month"))).and(col("day").equalTo(col("t_day"))), "left_semi")
          .filter(not(col("source_file").isin(inputPaths.toArray())))
          .withColumn(RAW, lit(null).cast(batch.schema().apply(RAW).dataType()))
          .withColumn(RawFields.CORRUPT_RECORD, lit(null).cast("string"))
          .withColumn("raw_date", lit(null).cast("string"))
          .withColumn(ORIGIN, lit(FROM_LAKE));
      candidates = batch.unionByName(carried);
    }
    candidates = candidates.withColumn("_row_hash", xxhash64(businessColumns()));

    // Deduplicate on transaction_id: latest ts, then this run's rows ("input" sorts before "lake"),
    // then the latest file, then the content hash.
    Dataset<Row> repeated = Deduplication.repeatedKeys(candidates, "transaction_id")
        .persist(StorageLevel.MEMORY_AND_DISK());
    long repeatedCount = repeated.count();
    Dataset<Row> classified = Deduplication.markDuplicates(candidates, "transaction_id", List.of(
            col("transaction_ts").desc(), col(ORIGIN).asc(), col("source_file").desc(), col("_row_hash").desc()),
        repeated, repeatedCount <= BROADCAST_REPEATED_KEYS_LIMIT);

    // Counts, from two aggregations over the cached rows: every row read by reason and raw date, then
    // the deduplicated rows by origin, outcome and partition.
    Map<String, Long> rejected = new TreeMap<>();
    Set<String> datesWithRejects = new TreeSet<>();
    long rowsRead = 0;
    Map<String, Long> rowsByFile = new TreeMap<>();
    for (Row r : staged.groupBy(col(RowRules.REJECT_REASON), col("raw_date"), col("source_file")).count()
        .collectAsList()) {
      rowsRead += r.getLong(3);
      rowsByFile.merge(r.getString(2), r.getLong(3), Long::sum);
      if (!r.isNullAt(0)) {
        rejected.merge(r.getString(0), r.getLong(3), Long::sum);
        datesWithRejects.add(r.getString(1));
      }
    }
    RecordAccounting.verify("transaction files", files, rowsByFile);
    long expectedWritten = 0;
    long carriedOver = 0;
    long superseded = 0;
    long missingFx = 0;
    Set<String> writtenPartitions = new TreeSet<>();
    for (Row r : classified.groupBy(col(ORIGIN), col(RowRules.REJECT_REASON), col("raw_date"),
            col("year"), col("month"), col("day"))
        .agg(count(lit(1)), sum(when(col("missing_fx_rate"), 1).otherwise(0)))
        .collectAsList()) {
      boolean fromInput = FROM_INPUT.equals(r.getString(0));
      boolean kept = r.isNullAt(1);
      long n = r.getLong(6);
      if (kept) {
        writtenPartitions.add(partitionName(r.getInt(3), r.getInt(4), r.getInt(5)));
        if (fromInput) {
          expectedWritten += n;
          missingFx += r.getLong(7);
        } else {
          carriedOver += n;
        }
      } else if (fromInput) {
        rejected.merge(Deduplication.DUPLICATE, n, Long::sum);
        datesWithRejects.add(r.getString(2));
      } else {
        superseded += n;
      }
    }

    ctx.stage("write processed/" + dataset);
    // Sinks: processed (observed, so rows written is measured at the write), then quarantine.
    Observation written = new Observation("transactions_written");
    Dataset<Row> processed = classified.filter(col(RowRules.REJECT_REASON).isNull())
        .observe(written, sum(when(col(ORIGIN).equalTo(FROM_INPUT), 1).otherwise(0)).as("from_input"),
            new Column[0])
        .transform(TransactionTransforms::toProcessedSchema);
    PartitionedParquet.overwritePartitions(processed, processedPath, TransactionSchema.PARTITION_COLUMNS);
    Map<String, Object> observed = observedMetrics(written);
    long rowsWritten = observed.get("from_input") == null ? 0 : ((Number) observed.get("from_input")).longValue();
    if (rowsWritten != expectedWritten) {
      throw new IllegalStateException("Cannot confirm the processed write: counted " + expectedWritten
          + " rows to write but the write saw " + rowsWritten);
    }
    Set<String> emptied = new TreeSet<>(touchedPartitions);
    emptied.removeAll(writtenPartitions);
    PartitionedParquet.deletePartitions(hadoopConf, processedPath, emptied);

    ctx.stage("write quarantine/" + dataset);
    Dataset<Row> quarantined = invalid.select(quarantineColumns())
        .unionByName(classified
            .filter(col(ORIGIN).equalTo(FROM_INPUT).and(col(RowRules.REJECT_REASON).isNotNull()))
            .select(quarantineColumns()));
    // merge, not write: a run reads only the files the bookmark has not seen, so the rejects of a
    // date's other files stay.
    QuarantineSink.merge(quarantined, TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD,
        ctx.runId(), paths.quarantine(dataset), InputFile.rawDates(files), datesWithRejects,
        files.stream().map(InputFile::relativePath).toList(), hadoopConf);

    repeated.unpersist();
    staged.unpersist();

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("rows_missing_fx_rate", missingFx);
    metrics.put("rows_carried_over", carriedOver);
    metrics.put("rows_superseded", superseded);
    metrics.put("repeated_transaction_ids", repeatedCount);
    metrics.put("fx_rows_read", fx.rowsRead());
    metrics.put("fx_rows_rejected_by_reason", fx.rejectedByReason());
    if (missingFx > 0) {
      warnings.add(missingFx + " rows have no FX rate for their currency and date (net_amount_usd null)");
    }
    outputs.put("fx_quarantine", paths.quarantine(ctx.config().transactions().fxRatesDataset()));
    return new JobResult(files, rowsRead, rowsWritten, rejected, new ArrayList<>(writtenPartitions), outputs,
        metrics, warnings);
  }

  /** The raw CSV files of every date, or of {@code --run-date}, that the bookmark has not seen processed. */
  private static TransactionInput csvInput(JobContext ctx, RawZone rawZone, String dataset) {
    if (!rawZone.exists(dataset)) {
      throw new IllegalArgumentException("Cannot read " + dataset + ": no folder " + ctx.paths().raw(dataset));
    }
    List<InputFile> listed = rawZone.list(dataset, ctx.args().runDate());
    List<InputFile> files = ctx.bookmark().select(listed);
    String whenEmpty = listed.isEmpty() ? "no input files under " + ctx.paths().raw(dataset)
        + ctx.args().runDate().map(d -> "/date=" + d).orElse("/date=*")
        : "no new or changed files under " + ctx.paths().raw(dataset) + " since the last committed run (bookmark)";
    Dataset<Row> rows = files.isEmpty() ? null
        : CsvSource.read(ctx.spark(), files, TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD);
    return new TransactionInput(files, rows, List.of(), List.of(), whenEmpty);
  }

  /** The business columns that identify a row's content (not its lineage), for a stable tie-break. */
  private static Column[] businessColumns() {
    return List.of("transaction_id", "customer_id", "product_id", "quantity", "unit_price", "discount_amount",
            "tax_amount", "currency", "payment_method", "status", "transaction_ts", "customer_email_hash",
            "shipping_country")
        .stream().map(c -> col(c)).toArray(Column[]::new);
  }

  /** The fields as read, the unsplittable line, the reason and lineage: what quarantine keeps. */
  private static Column[] quarantineColumns() {
    return RawFields.quarantineColumns(TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD);
  }

  private static Map<String, Object> observedMetrics(Observation observation) {
    try {
      return observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot read the processed write's row count: interrupted", e);
    }
  }

  static String partitionName(int year, int month, int day) {
    return DayPartitions.name(year, month, day);
  }
}

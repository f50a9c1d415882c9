package io.shoplake.common.transactions;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.SideTask;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.pii.HmacSha256;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.transform.Deduplication;
import io.shoplake.common.validation.RegistryScreen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

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
 * <p>Cost on a fresh lake: one CSV scan whose typed rows are cached, one aggregation in the same pass that
 * finds the repeated ids and counts the rows by reason, file and day, a count of the repeated ids' rows when
 * there are any, a broadcast join and two writes. No shuffle of whole rows unless many ids repeat.
 */
public final class TransactionEtl implements LakeJob {
  public static final String NAME = "transactions";

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
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(FlowStep.FILE_VERDICTS), List.of(),
        List.of("processed/" + config.transactions().dataset())));
  }

  @Override
  public JobResult run(JobContext ctx) {
    LakePaths paths = ctx.paths();
    String dataset = ctx.config().transactions().dataset();
    String processedPath = paths.processed(dataset);
    RawZone rawZone = RegistryScreen.rawZone(ctx);
    TransactionInput input = ctx.config().transactions().fromStgCore() ? StgCoreTransactions.read(ctx)
        : csvInput(ctx, rawZone, dataset);
    List<InputFile> files = input.units();
    List<String> warnings = new ArrayList<>(rawZone.validationWarnings());
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
    boolean smallInput = !ctx.config().transactions().fromStgCore() && ctx.fitToInputFiles(files);
    // Only the processed write needs the rates: they load beside the staging, unless the input is small
    // (its staging is shorter than the rates' own planning, and in the local pipeline the small runs of the
    // other jobs already use every core: the sample pipeline measured slower with the thread).
    SideTask<FxLoad> fxLoad = smallInput ? SideTask.inline(() -> fxRates(ctx, rawZone))
        : SideTask.start(NAME + "-fx-rates", () -> fxRates(ctx, rawZone));
    outputs.put("fx_quarantine", paths.quarantine(ctx.config().transactions().fxRatesDataset()));

    Merging merging;
    try {
      merging = stageAndMerge(ctx, input, processedPath);
    } catch (RuntimeException | Error e) {
      fxLoad.finish();
      throw e;
    }
    FxLoad fx = fxLoad.join();
    warnings.addAll(fx.warnings());
    Dataset<Row> cached = merging.cached();
    Dataset<Row> staged = merging.staged();
    TransactionMerge.Merged merged = merging.merged();
    Dataset<Row> classified = merged.marked().rows();
    TransactionMerge.Counts counts = merging.counts();

    // Before the processed write, which removes the replaced rows: a rerun after a kill finds them again.
    Set<String> supersededQuarantined = counts.superseded() == 0 || ctx.config().transactions().fromStgCore()
        ? Set.of() : SupersededRows.quarantine(ctx, rawZone, dataset, TransactionMerge.supersededKeys(merged));
    ctx.stage("write processed/" + dataset);
    Written written = writeProcessed(ctx, merged.marked(), fx.rates(), counts, merged.touchedPartitions(),
        processedPath);
    ctx.stage("write quarantine/" + dataset);
    // merge, not write: a run reads only the files the bookmark has not seen, so the rejects of a
    // date's other files stay.
    QuarantineSink.merge(staged.filter(col(RowRules.REJECT_REASON).isNotNull()).select(quarantineColumns())
            .unionByName(classified.filter(col(TransactionMerge.ORIGIN).equalTo(TransactionMerge.FROM_INPUT)
                .and(col(RowRules.REJECT_REASON).isNotNull())).select(quarantineColumns())),
        TransactionSchema.RAW_COLUMNS, RawFields.CORRUPT_RECORD, ctx.runId(), paths.quarantine(dataset),
        InputFile.rawDates(files), counts.datesWithRejects(), files.stream().map(InputFile::relativePath).toList(),
        ctx.spark().sparkContext().hadoopConfiguration());
    merged.release();
    cached.unpersist();

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("rows_missing_fx_rate", written.missingFxRate());
    metrics.put("rows_carried_over", counts.carriedOver());
    metrics.put("rows_superseded", counts.superseded());
    metrics.put("superseded_quarantine_dates", new ArrayList<>(supersededQuarantined));
    metrics.put("repeated_transaction_ids", merged.marked().repeatedKeyCount());
    metrics.put("fx_rows_read", fx.rates().rowsRead());
    metrics.put("fx_rows_rejected_by_reason", fx.rates().rejectedByReason());
    if (written.missingFxRate() > 0) {
      warnings.add(written.missingFxRate()
          + " rows have no FX rate for their currency and date (net_amount_usd null)");
    }
    return new JobResult(files, counts.rowsRead(), written.rows(), counts.rejected(),
        new ArrayList<>(counts.writtenPartitions()), outputs, metrics, warnings);
  }

  /**
   * @param rates the rates, for the processed write
   * @param warnings about FX files left out, and about no rates at all
   */
  private record FxLoad(FxRateSource.Loaded rates, List<String> warnings) {}

  /**
   * The FX rates of every raw date, their bad rows quarantined. For an input that is not small, runs on a
   * thread of its own beside {@link #stageAndMerge}: the rates are a few small files, whose executions are
   * among the first plans of the JVM (seconds of planning on one core: 7.6 s of a 1M run's 50 s,
   * docs/BENCHMARKS.md eleventh round), and only the processed write needs them. The main thread touches
   * neither the raw zone nor the warnings until it has joined.
   */
  private static FxLoad fxRates(JobContext ctx, RawZone rawZone) {
    String fxDataset = ctx.config().transactions().fxRatesDataset();
    int reported = rawZone.validationWarnings().size();
    List<InputFile> fxFiles = rawZone.list(fxDataset, java.util.Optional.empty());
    ctx.stage("read and validate " + fxFiles.size() + " FX rate file(s)");
    FxRateSource.Loaded fx = FxRateSource.load(ctx, fxFiles, fxDataset);
    List<String> validation = rawZone.validationWarnings(); // now with the FX files left out
    List<String> warnings = new ArrayList<>(validation.subList(reported, validation.size()));
    if (fx.rowsRead() == 0) {
      warnings.add("no FX rates under " + ctx.paths().raw(fxDataset) + ": net_amount_usd is null for every row");
    }
    return new FxLoad(fx, warnings);
  }

  /**
   * @param cached the staged input, persisted ({@link #staged})
   * @param staged the same read from the cache, with the ingest columns
   * @param merged the input's valid rows merged with the processed rows they touch
   * @param counts the run's row accounting
   */
  private record Merging(Dataset<Row> cached, Dataset<Row> staged, TransactionMerge.Merged merged,
      TransactionMerge.Counts counts) {}

  /** The input staged, merged with what is processed, and counted: every step before the processed write. */
  private static Merging stageAndMerge(JobContext ctx, TransactionInput input, String processedPath) {
    List<InputFile> files = input.units();
    ctx.stage("read, validate and derive " + files.size() + " input(s)");
    Staging.Run run = Staging.Run.of(ctx);
    Dataset<Row> cached = staged(ctx, run, input);
    Dataset<Row> staged = CachedPlans.startingAtCache(cached).transform(Staging.withIngestColumns(run));
    TransactionMerge.Merged merged = TransactionMerge.merge(ctx.spark(), staged, files, processedPath);
    return new Merging(cached, staged, merged, TransactionMerge.counts(merged, files));
  }

  /**
   * The input through the declared dataset's path, then the e-mail hash, the amounts and the hour; cached
   * (unless {@code shoplake.transactions.persist-level} is NONE; on disk only for a CSV input of
   * {@code disk-only-min-input-bytes} or more): every later step (the merge, the counts,
   * the two writes) reads these rows, never the source again. Without the ingest columns, which the caller
   * adds over the cache ({@link Staging#withIngestColumns}), and without USD, which only the processed write
   * needs ({@link #writeProcessed}).
   */
  private static Dataset<Row> staged(JobContext ctx, Staging.Run run, TransactionInput input) {
    UserDefinedFunction emailHash = udf(new HmacSha256(ctx.requirePiiKey()), DataTypes.StringType);
    Dataset<Row> staged = Staging.validated(input.rows(), TransactionRules.DATASET, run,
            input.sourceRules())
        .drop(input.helperColumns().toArray(new String[0]))
        .transform(TransactionTransforms.withMaskedEmail(emailHash))
        .transform(TransactionTransforms::withAmounts)
        .transform(TransactionTransforms::withHour);
    // A large CSV input on disk only (LakeConfig.Transactions#cacheLevel); stg_core's units have no size.
    long csvBytes = ctx.config().transactions().fromStgCore() ? 0
        : InputFile.totalBytes(input.units());
    String persistLevel = ctx.config().transactions().cacheLevel(csvBytes);
    if (!persistLevel.equals(ctx.config().transactions().persistLevel())) {
      org.slf4j.LoggerFactory.getLogger("io.shoplake.progress").info(
          "{}: {} bytes of CSV: the staged rows cached {} (disk-only-min-input-bytes)", NAME, csvBytes, persistLevel);
    }
    return persistLevel.equals("NONE") ? staged : staged.persist(StorageLevel.fromString(persistLevel));
  }

  /**
   * What the processed write saw of this run's rows.
   *
   * @param rows the input's rows written
   * @param missingFxRate of those, the rows written without an FX rate (null net_amount_usd)
   */
  private record Written(long rows, long missingFxRate) {}

  /**
   * Derives USD for this run's rows, overwrites the partitions the merged rows fill and deletes the touched
   * ones they no longer fill; the write is observed, and fails unless it saw exactly the input rows the
   * counts expected. The FX join is here, in the one plan that needs its columns, and not in the cached
   * staging: there it made the staging stage's generated method too large for the JIT's optimising
   * compiler (docs/BENCHMARKS.md, tenth round). Costs a broadcast of the rates, no shuffle.
   */
  private static Written writeProcessed(JobContext ctx, Deduplication.Marked merged, FxRateSource.Loaded fx,
      TransactionMerge.Counts counts, Set<String> touchedPartitions, String processedPath) {
    Observation written = new Observation("transactions_written");
    Column fromInput = col(TransactionMerge.ORIGIN).equalTo(TransactionMerge.FROM_INPUT);
    Dataset<Row> processed = merged.rows(part -> withUsdForInput(part.filter(col(RowRules.REJECT_REASON).isNull()),
            fx))
        .observe(written, sum(when(fromInput, 1).otherwise(0)).as("rows"),
            sum(when(fromInput.and(col("missing_fx_rate")), 1).otherwise(0)).as("missing_fx_rate"))
        .transform(TransactionTransforms::toProcessedSchema);
    PartitionedParquet.overwritePartitions(processed, processedPath, TransactionSchema.PARTITION_COLUMNS);
    Map<String, Object> observed = observedMetrics(written);
    Written saw = new Written(longOrZero(observed.get("rows")), longOrZero(observed.get("missing_fx_rate")));
    if (saw.rows() != counts.rowsToWrite()) {
      throw new IllegalStateException("Cannot confirm the processed write: counted " + counts.rowsToWrite()
          + " rows to write but the write saw " + saw.rows());
    }
    Set<String> emptied = new TreeSet<>(touchedPartitions);
    emptied.removeAll(counts.writtenPartitions());
    PartitionedParquet.deletePartitions(ctx.spark().sparkContext().hadoopConfiguration(), processedPath, emptied);
    return saw;
  }

  /** The run's own rows with USD derived; the carried ones as they were written. */
  private static Dataset<Row> withUsdForInput(Dataset<Row> merged, FxRateSource.Loaded fx) {
    Dataset<Row> fromInput = merged.filter(col(TransactionMerge.ORIGIN).equalTo(TransactionMerge.FROM_INPUT))
        .drop(TransactionSchema.USD_COLUMNS.toArray(new String[0]))
        .transform(TransactionTransforms.withUsdAmounts(fx.ranges()));
    return fromInput.unionByName(merged.filter(col(TransactionMerge.ORIGIN).equalTo(TransactionMerge.FROM_LAKE)));
  }

  /** An observed sum: null when the write saw no row. */
  private static long longOrZero(Object observed) {
    return observed == null ? 0 : ((Number) observed).longValue();
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
}

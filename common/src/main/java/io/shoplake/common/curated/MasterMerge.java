package io.shoplake.common.curated;

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
import io.shoplake.common.job.SideTask;
import io.shoplake.common.lake.DatasetSignature;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.manifest.ManifestStore;
import io.shoplake.common.quality.QualityConfig;
import io.shoplake.common.quality.QualityGate;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.state.JsonState;
import io.shoplake.common.state.PartitionFingerprints;
import io.shoplake.common.state.StateCommit;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;

/**
 * Master merge: processed transactions, products, reviews, sessions and events -> the curated
 * {@code sales}, {@code daily_product_performance} (both by date) and {@code customer_summary}
 * (rewritten whole).
 *
 * <p>Incremental by content: each input partition's fingerprint ({@link PartitionFingerprints}) is
 * compared with the one recorded in {@code _state/master-merge/input-fingerprints.json} at the last
 * successful run. Only the dates whose inputs changed are recomputed, and exactly their partitions
 * are rewritten (a date whose rows are gone has its partition deleted):
 * <ul>
 *   <li>sales: the changed transaction dates; every date when products changed.
 *   <li>daily_product_performance: changed transaction dates, changed event partitions and the day
 *       after each (a session's events can run past midnight), every date from the earliest changed
 *       review date on (ratings are cumulative), every date when products changed.
 *   <li>customer_summary: whenever transactions or sessions changed.
 * </ul>
 * Only the partitions whose folder's files changed since that run are read to fingerprint them (their
 * folders' signatures are recorded in {@code input-folder-signatures.json}); the others keep their
 * recorded fingerprints, so a daily run reads the new days, not the whole lake.
 * The new fingerprints are committed only after every write, so a failed run is redone in full by its
 * rerun. {@code --full-refresh} recomputes everything. A run whose inputs did not change writes
 * nothing; when not even their files changed ({@link DatasetSignature}, recorded in
 * {@code input-signatures.json}), it reads nothing either.
 *
 * <p>Before anything, the {@link QualityGate}: an input whose latest quality
 * run failed at error level stops the merge, so curated tables are never built on it.
 *
 * <p>Cost: a listing of each input, one scan of its changed partitions to fingerprint them (an aggregation,
 * no shuffle of rows; the first run and {@code --full-refresh} scan everything), then pruned
 * reads of the changed dates, broadcast joins with products, one shuffle per aggregate table. On a small input
 * the three tables are built side by side ({@link #build}).
 */
public final class MasterMerge implements LakeJob {
  private static final String FULL_REFRESH = "full-refresh";
  public static final String NAME = "master-merge";
  static final List<String> DAY = DayPartitions.COLUMNS;
  /** The product columns the curated tables read. */
  static final List<String> PRODUCT_COLUMNS_USED = List.of("product_id", "name", "brand", "category_id",
      "category_name", "department", "stock_quantity");
  private static final TypeReference<Map<String, SortedMap<String, String>>> STATE_TYPE = new TypeReference<>() {};
  private static final TypeReference<SortedMap<String, String>> SIGNATURES_TYPE = new TypeReference<>() {};

  @Override
  public String name() {
    return NAME;
  }

  /** {@code --full-refresh}: recompute every curated table from all processed data. */
  @Override
  public List<JobOption> options(LakeConfig config) {
    return List.of(JobOption.flag(FULL_REFRESH));
  }

  /** Its inputs, and the quality verdicts: an error-level failure holds it back, no curated table on bad data. */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of("processed/" + config.transactions().dataset(),
            "processed/" + config.products().dataset(), "processed/" + config.reviews().dataset(), "processed/sessions",
            "processed/clickstream_events", FlowStep.QUALITY_VERDICTS), List.of(),
        List.of("curated/sales", "curated/daily_product_performance", "curated/customer_summary")));
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    LakePaths paths = ctx.paths();
    Map<String, String> inputs = inputs(ctx);
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("sales", paths.curated("sales"));
    outputs.put("daily_product_performance", paths.curated("daily_product_performance"));
    outputs.put("customer_summary", paths.curated("customer_summary"));
    List<String> warnings = new ArrayList<>(QualityGate.check(QualityConfig.parse(ctx.config()),
        paths.root(), List.copyOf(inputs.values()), hadoopConf, "merge"));

    boolean fullRefresh = JobOption.flagValue(ctx.args(), FULL_REFRESH)
        || outputs.values().stream().anyMatch(p -> !PartitionedParquet.exists(hadoopConf, p));
    // First the files alone (a listing): when none changed since the last run there is nothing to read.
    SortedMap<String, String> signatures = new TreeMap<>();
    Map<String, SortedMap<String, String>> folders = new TreeMap<>();
    inputs.forEach((name, path) -> {
      DatasetSignature.Folders listing = DatasetSignature.ofEachFolder(hadoopConf, path, partitionColumns(name).size());
      signatures.put(name, listing.whole());
      folders.put(name, listing.folders());
    });
    JsonState signatureState = new JsonState(paths.state(NAME) + "/input-signatures.json", hadoopConf);
    if (!fullRefresh && signatureState.read(SIGNATURES_TYPE).map(signatures::equals).orElse(false)) {
      warnings.add("no input file changed since the last run: curated tables left as they are, nothing read");
      outputs.put("state", signatureState.path());
      return new JobResult(List.of(), 0, 0, Map.of(), List.of(), outputs, new LinkedHashMap<>(), warnings);
    }

    ctx.stage("fingerprint the inputs");
    Map<String, Dataset<Row>> frames = new LinkedHashMap<>();
    inputs.forEach((name, path) -> frames.put(name, ParquetRead.read(ctx.spark(), path)));
    boolean smallInput = ctx.fitToInputReads(frames.values());
    JsonState state = new JsonState(paths.state(NAME) + "/input-fingerprints.json", hadoopConf);
    JsonState folderState = new JsonState(paths.state(NAME) + "/input-folder-signatures.json", hadoopConf);
    Map<String, SortedMap<String, String>> before = fullRefresh ? Map.of() : state.read(STATE_TYPE).orElse(Map.of());
    PartitionFingerprints.Reused fingerprinted = fingerprints(frames, before,
        fullRefresh ? Map.of() : folderState.read(STATE_TYPE).orElse(Map.of()), folders);
    Map<String, SortedMap<String, String>> now = fingerprinted.fingerprints();
    RecomputePlan plan = RecomputePlan.of(before, now);
    Map<String, Object> metrics = plan.metrics(fullRefresh);
    metrics.put("fingerprints_reused", fingerprinted.reused());

    Dataset<Row> cachedProducts = frames.get("products").persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> products = CachedPlans.startingAtCache(cachedProducts);
    List<SideTask<Built>> builds = new ArrayList<>();
    if (!plan.salesDates().isEmpty()) {
      builds.add(build(smallInput, "sales", () -> {
        ctx.stage("build curated/sales for " + plan.salesDates().size() + " date(s)");
        List<String> written = new ArrayList<>();
        long rows = writeSales(frames.get("transactions"), products, plan.salesDates(), outputs.get("sales"),
            written, hadoopConf);
        return new Built(null, rows, written);
      }));
    }
    if (!plan.performanceDates().isEmpty()) {
      builds.add(build(smallInput, "daily_product_performance", () -> {
        ctx.stage("build curated/daily_product_performance for " + plan.performanceDates().size() + " date(s)");
        List<String> written = new ArrayList<>();
        long rows = writePerformance(frames, products, plan.performanceDates(),
            outputs.get("daily_product_performance"), written, hadoopConf);
        return new Built("daily_product_performance_rows_written", rows, written);
      }));
    }
    if (plan.summaryChanged()) {
      builds.add(build(smallInput, "customer_summary", () -> {
        ctx.stage("build curated/customer_summary");
        Dataset<Row> summary = CuratedTables.customerSummary(frames.get("transactions"), frames.get("sessions"));
        long rows = ObservedWrite.write(summary, "customer_summary_written",
            r -> PartitionedParquet.replaceWhole(r.coalesce(1), outputs.get("customer_summary"), ctx.runId(),
                hadoopConf));
        return new Built("customer_summary_rows_written", rows, List.of());
      }));
    }
    long salesRows = 0;
    List<String> partitions = new ArrayList<>();
    try {
      for (Built built : SideTask.joinAll(builds)) {
        if (built.metric() == null) {
          salesRows = built.rows();
        } else {
          metrics.put(built.metric(), built.rows());
        }
        partitions.addAll(built.partitions());
      }
    } finally {
      cachedProducts.unpersist();
    }

    if (plan.nothing()) {
      warnings.add("no input changed since the last run: curated tables left as they are");
    }
    outputs.put("state", state.path());
    // Kept only when the run succeeds: the runner commits them after the outputs and the checks.
    return new JobResult(List.of(), salesRows, salesRows, Map.of(), partitions, outputs, metrics, warnings)
        .withState(List.of(StateCommit.json(state, now), StateCommit.json(folderState, folders),
            StateCommit.json(signatureState, signatures)));
  }

  /**
   * One curated table written.
   *
   * @param metric the run metric its row count goes under, or null for sales (the run's rows written)
   * @param rows the rows written
   * @param partitions the partitions written, as the run reports them
   */
  private record Built(String metric, long rows, List<String> partitions) {}

  /**
   * A curated table's build: for a small input on a thread of its own, beside the other tables' (a small run
   * is the driver planning one query after another, and side by side three tables plan on two cores: the
   * sample pipeline's master-merge step 2.0 -> 1.6 s, docs/BENCHMARKS.md thirty-third round); for a larger one
   * now, one table after another, as their tasks keep every core busy and side by side they would only contend
   * for memory. The tables share nothing but the cached products, which Spark computes once.
   */
  private static SideTask<Built> build(boolean smallInput, String table, java.util.function.Supplier<Built> work) {
    return smallInput ? SideTask.start(NAME + "-" + table, work) : SideTask.inline(work);
  }

  /** The processed inputs by name; refuses the run when one is missing, naming the job that writes it. */
  private static Map<String, String> inputs(JobContext ctx) {
    LakePaths paths = ctx.paths();
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("transactions", paths.processed(ctx.config().transactions().dataset()));
    inputs.put("products", paths.processed(ctx.config().products().dataset()));
    inputs.put("reviews", paths.processed(ctx.config().reviews().dataset()));
    inputs.put("sessions", paths.processed("sessions"));
    inputs.put("clickstream_events", paths.processed("clickstream_events"));
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      if (!PartitionedParquet.exists(hadoopConf, input.getValue())) {
        String why = new ManifestStore(paths, hadoopConf).whyNeverWritten(input.getValue()).map(w -> ": " + w)
            .orElse(" (run the " + upstreamJob(input.getKey()) + " job first)");
        throw new IllegalArgumentException("Cannot merge: no " + input.getKey() + " at " + input.getValue() + why);
      }
    }
    return inputs;
  }

  /**
   * Per input, the fingerprint of each day partition (products: of the whole table), scanning only the
   * partitions whose folder changed since {@code recorded} ({@link PartitionFingerprints#ofEachChanged}). One
   * aggregation per input read, all in one execution.
   */
  private static PartitionFingerprints.Reused fingerprints(Map<String, Dataset<Row>> frames,
      Map<String, SortedMap<String, String>> recorded, Map<String, SortedMap<String, String>> recordedFolders,
      Map<String, SortedMap<String, String>> folders) {
    Map<String, Dataset<Row>> fingerprinted = new TreeMap<>();
    Map<String, List<String>> partitionColumns = new TreeMap<>();
    frames.forEach((name, rows) -> {
      // Only what the curated tables read of a product: its stock and days of supply change with every
      // sale, and would otherwise make each new transaction recompute every date.
      fingerprinted.put(name, name.equals("products")
          ? rows.select(PRODUCT_COLUMNS_USED.stream().map(c -> col(c)).toArray(Column[]::new)) : rows);
      partitionColumns.put(name, partitionColumns(name));
    });
    return PartitionFingerprints.ofEachChanged(fingerprinted, partitionColumns, recorded, recordedFolders, folders);
  }

  /** An input's partition columns: products is one table, every other input is partitioned by day. */
  private static List<String> partitionColumns(String input) {
    return input.equals("products") ? List.of() : DAY;
  }

  /**
   * Rewrites the sales partitions of {@code dates}, confirming the write saw every transaction of them;
   * adds the partitions written to {@code partitions} and returns the rows (a count, then the write).
   */
  private static long writeSales(Dataset<Row> allTransactions, Dataset<Row> products, SortedSet<LocalDate> dates,
      String output, List<String> partitions, Configuration hadoopConf) {
    Dataset<Row> cachedTransactions = DayPartitions.onDates(allTransactions, dates)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> transactions = CachedPlans.startingAtCache(cachedTransactions);
    SortedSet<String> written = new TreeSet<>();
    long rowsRead = countByPartition(transactions, written);
    long rowsWritten = ObservedWrite.writeExpecting(CuratedTables.sales(transactions, products), "sales_written",
        rowsRead, rows -> PartitionedParquet.replacePartitions(rows, output, DAY, written, DayPartitions.names(dates),
            hadoopConf));
    partitions.addAll(written.stream().map(p -> "sales/" + p).toList());
    cachedTransactions.unpersist();
    return rowsWritten;
  }

  /**
   * Rewrites the daily_product_performance partitions of {@code dates} from their transactions, the
   * non-bot product events of those dates (read from the day before too: a session runs past midnight)
   * and every review; adds the partitions written to {@code partitions} and returns the rows written.
   */
  private static long writePerformance(Map<String, Dataset<Row>> frames, Dataset<Row> products,
      SortedSet<LocalDate> dates, String output, List<String> partitions, Configuration hadoopConf) {
    Dataset<Row> transactions = DayPartitions.onDates(frames.get("transactions"), dates);
    SortedSet<LocalDate> eventPartitions = new TreeSet<>(dates);
    dates.forEach(d -> eventPartitions.add(d.minusDays(1)));
    Dataset<Row> productEvents = DayPartitions.onDates(frames.get("clickstream_events"), eventPartitions)
        .filter(not(col("is_bot")).and(col("product_id").isNotNull()))
        .filter(to_date(col("event_ts")).isin(dates.stream().map(Date::valueOf).toArray()));
    Dataset<Row> cachedPerformance = CuratedTables.dailyProductPerformance(transactions, productEvents,
            frames.get("reviews"), products)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> performance = CachedPlans.startingAtCache(cachedPerformance);
    SortedSet<String> written = new TreeSet<>();
    long rows = countByPartition(performance, written);
    PartitionedParquet.replacePartitions(performance, output, DAY, written, DayPartitions.names(dates), hadoopConf);
    partitions.addAll(written.stream().map(p -> "daily_product_performance/" + p).toList());
    cachedPerformance.unpersist();
    return rows;
  }

  private static String upstreamJob(String input) {
    return switch (input) {
      case "sessions", "clickstream_events" -> "clickstream";
      default -> input;
    };
  }

  /** Adds the day partitions of {@code rows} to {@code partitions}; returns the row count (one aggregation). */
  private static long countByPartition(Dataset<Row> rows, SortedSet<String> partitions) {
    SortedMap<String, Long> counts = DayPartitions.rowCounts(rows);
    partitions.addAll(counts.keySet());
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}

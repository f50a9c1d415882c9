package io.shoplake.common.curated;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.DatasetSignature;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.LakePaths;
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
 * The new fingerprints are committed only after every write, so a failed run is redone in full by its
 * rerun. {@code --full-refresh} recomputes everything. A run whose inputs did not change writes
 * nothing; when not even their files changed ({@link DatasetSignature}, recorded in
 * {@code input-signatures.json}), it reads nothing either.
 *
 * <p>Before anything, the {@link io.shoplake.common.quality.QualityGate}: an input whose latest quality
 * run failed at error level stops the merge, so curated tables are never built on it.
 *
 * <p>Cost: one scan of each input to fingerprint it (an aggregation, no shuffle of rows), then pruned
 * reads of the changed dates, broadcast joins with products, one shuffle per aggregate table.
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
    SparkSession spark = ctx.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    LakePaths paths = ctx.paths();
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("transactions", paths.processed(ctx.config().transactions().dataset()));
    inputs.put("products", paths.processed(ctx.config().products().dataset()));
    inputs.put("reviews", paths.processed(ctx.config().reviews().dataset()));
    inputs.put("sessions", paths.processed("sessions"));
    inputs.put("clickstream_events", paths.processed("clickstream_events"));
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      if (!PartitionedParquet.exists(hadoopConf, input.getValue())) {
        throw new IllegalArgumentException("Cannot merge: no " + input.getKey() + " at " + input.getValue()
            + " (run the " + upstreamJob(input.getKey()) + " job first)");
      }
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("sales", paths.curated("sales"));
    outputs.put("daily_product_performance", paths.curated("daily_product_performance"));
    outputs.put("customer_summary", paths.curated("customer_summary"));
    List<String> warnings = new ArrayList<>(io.shoplake.common.quality.QualityGate.check(
        io.shoplake.common.quality.QualityConfig.parse(ctx.config()),
        paths.root(), List.copyOf(inputs.values()), hadoopConf, "merge"));
    Map<String, Object> metrics = new LinkedHashMap<>();

    boolean fullRefresh = JobOption.flagValue(ctx.args(), FULL_REFRESH)
        || outputs.values().stream().anyMatch(p -> !PartitionedParquet.exists(hadoopConf, p));
    // First the files alone (a listing): when none changed since the last run there is nothing to read.
    SortedMap<String, String> signatures = new TreeMap<>();
    inputs.forEach((name, path) -> signatures.put(name, DatasetSignature.of(hadoopConf, path)));
    JsonState signatureState = new JsonState(paths.state(NAME) + "/input-signatures.json", hadoopConf);
    if (!fullRefresh && signatureState.read(SIGNATURES_TYPE).map(signatures::equals).orElse(false)) {
      warnings.add("no input file changed since the last run: curated tables left as they are, nothing read");
      outputs.put("state", signatureState.path());
      return new JobResult(List.of(), 0, 0, Map.of(), List.of(), outputs, metrics, warnings);
    }

    ctx.stage("fingerprint the inputs");
    Map<String, Dataset<Row>> frames = new LinkedHashMap<>();
    inputs.forEach((name, path) -> frames.put(name, spark.read().parquet(path)));
    Map<String, SortedMap<String, String>> now = new TreeMap<>();
    frames.forEach((name, rows) -> now.put(name, name.equals("products")
        // Only what the curated tables read of a product: its stock and days of supply change with every
        // sale, and would otherwise make each new transaction recompute every date.
        ? PartitionFingerprints.of(rows.select(PRODUCT_COLUMNS_USED.stream().map(c -> col(c)).toArray(Column[]::new)),
            List.of())
        : PartitionFingerprints.of(rows, DAY)));
    JsonState state = new JsonState(paths.state(NAME) + "/input-fingerprints.json", hadoopConf);
    Map<String, SortedMap<String, String>> before = fullRefresh ? Map.of() : state.read(STATE_TYPE).orElse(Map.of());
    Map<String, SortedSet<LocalDate>> changed = new TreeMap<>();
    now.forEach((name, fingerprints) -> changed.put(name, dates(
        PartitionFingerprints.changed(before.getOrDefault(name, new TreeMap<>()), fingerprints))));
    boolean productsChanged = !PartitionFingerprints.changed(before.getOrDefault("products", new TreeMap<>()),
        now.get("products")).isEmpty();
    SortedSet<LocalDate> transactionDates = dates(now.get("transactions").keySet());
    SortedSet<LocalDate> eventDates = dates(now.get("clickstream_events").keySet());

    SortedSet<LocalDate> salesDates = new TreeSet<>(productsChanged ? union(transactionDates, changed.get("transactions"))
        : changed.get("transactions"));
    SortedSet<LocalDate> candidates = union(transactionDates, eventDates);
    eventDates.forEach(d -> candidates.add(d.plusDays(1)));
    SortedSet<LocalDate> performanceDates = new TreeSet<>();
    if (productsChanged) {
      performanceDates.addAll(candidates);
    }
    performanceDates.addAll(changed.get("transactions"));
    changed.get("clickstream_events").forEach(d -> {
      performanceDates.add(d);
      performanceDates.add(d.plusDays(1));
    });
    if (!changed.get("reviews").isEmpty()) {
      LocalDate first = changed.get("reviews").first();
      candidates.stream().filter(d -> !d.isBefore(first)).forEach(performanceDates::add);
    }
    boolean summaryChanged = !changed.get("transactions").isEmpty() || !changed.get("sessions").isEmpty();
    metrics.put("full_refresh", fullRefresh);
    metrics.put("changed_inputs", changedSummary(changed, productsChanged));
    metrics.put("sales_dates_recomputed", salesDates.size());
    metrics.put("performance_dates_recomputed", performanceDates.size());
    metrics.put("customer_summary_recomputed", summaryChanged);

    long rowsRead = 0;
    long rowsWritten = 0;
    List<String> partitions = new ArrayList<>();
    Dataset<Row> products = frames.get("products").persist(StorageLevel.MEMORY_AND_DISK());
    if (!salesDates.isEmpty()) {
      ctx.stage("build curated/sales for " + salesDates.size() + " date(s)");
      Dataset<Row> transactions = DayPartitions.onDates(frames.get("transactions"), salesDates)
          .persist(StorageLevel.MEMORY_AND_DISK());
      SortedSet<String> written = new TreeSet<>();
      rowsRead = countByPartition(transactions, written);
      SortedSet<String> scope = DayPartitions.names(salesDates);
      rowsWritten = ObservedWrite.writeExpecting(CuratedTables.sales(transactions, products), "sales_written",
          rowsRead, rows -> PartitionedParquet.replacePartitions(rows, outputs.get("sales"), DAY, written, scope,
              hadoopConf));
      partitions.addAll(written.stream().map(p -> "sales/" + p).toList());
      transactions.unpersist();
    }
    if (!performanceDates.isEmpty()) {
      ctx.stage("build curated/daily_product_performance for " + performanceDates.size() + " date(s)");
      Dataset<Row> transactions = DayPartitions.onDates(frames.get("transactions"), performanceDates);
      SortedSet<LocalDate> eventPartitions = new TreeSet<>(performanceDates);
      performanceDates.forEach(d -> eventPartitions.add(d.minusDays(1)));
      Dataset<Row> productEvents = DayPartitions.onDates(frames.get("clickstream_events"), eventPartitions)
          .filter(not(col("is_bot")).and(col("product_id").isNotNull()))
          .filter(to_date(col("event_ts")).isin(performanceDates.stream().map(Date::valueOf).toArray()));
      Dataset<Row> performance = CuratedTables.dailyProductPerformance(transactions, productEvents,
              frames.get("reviews"), products)
          .persist(StorageLevel.MEMORY_AND_DISK());
      SortedSet<String> written = new TreeSet<>();
      long rows = countByPartition(performance, written);
      PartitionedParquet.replacePartitions(performance, outputs.get("daily_product_performance"), DAY, written,
          DayPartitions.names(performanceDates), hadoopConf);
      metrics.put("daily_product_performance_rows_written", rows);
      partitions.addAll(written.stream().map(p -> "daily_product_performance/" + p).toList());
      performance.unpersist();
    }
    if (summaryChanged) {
      ctx.stage("build curated/customer_summary");
      Dataset<Row> summary = CuratedTables.customerSummary(frames.get("transactions"), frames.get("sessions"));
      long rows = ObservedWrite.write(summary, "customer_summary_written",
          r -> PartitionedParquet.replaceWhole(r.coalesce(1), outputs.get("customer_summary"), ctx.runId(), hadoopConf));
      metrics.put("customer_summary_rows_written", rows);
    }
    products.unpersist();

    if (salesDates.isEmpty() && performanceDates.isEmpty() && !summaryChanged) {
      warnings.add("no input changed since the last run: curated tables left as they are");
    }
    outputs.put("state", state.path());
    // Kept only when the run succeeds: the runner commits them after the outputs and the checks.
    return new JobResult(List.of(), rowsRead, rowsWritten, Map.of(), partitions, outputs, metrics, warnings)
        .withState(List.of(StateCommit.json(state, now), StateCommit.json(signatureState, signatures)));
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

  /** The dates of fingerprinted partitions; the whole-dataset key "" has none. */
  private static SortedSet<LocalDate> dates(java.util.Collection<String> partitionNames) {
    return DayPartitions.dates(partitionNames.stream().filter(n -> !n.isEmpty()).toList());
  }

  private static SortedSet<LocalDate> union(SortedSet<LocalDate> a, SortedSet<LocalDate> b) {
    SortedSet<LocalDate> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, Object> changedSummary(Map<String, SortedSet<LocalDate>> changed, boolean productsChanged) {
    Map<String, Object> summary = new LinkedHashMap<>();
    changed.forEach((name, dates) -> summary.put(name, name.equals("products") ? productsChanged
        : dates.stream().map(LocalDate::toString).toList()));
    return summary;
  }
}

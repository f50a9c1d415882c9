package io.shoplake.common.products;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.EveryRawDate;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.ParquetRead;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DatasetSignature;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Ingest;
import io.shoplake.common.validation.RegistryScreen;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Product enrichment: raw products (JSON Lines) and categories (CSV) -> {@code processed/products}
 * (one row per product, its latest version by {@code updated_at}, with its category path and
 * inventory metrics) and {@code processed/categories} (one row per category with its path).
 *
 * <p>Both are dimensions, rebuilt whole on every run from every raw date and swapped in
 * ({@link PartitionedParquet#replaceWhole}): not partitioned by date, since a product's latest
 * version is what is wanted and it would move between date partitions. Older versions of a product
 * (or category) are not errors: they are counted as skipped {@code older_version}, not quarantined.
 *
 * <p>days_of_supply reads the completed units of the trailing {@code sales-window-days} of
 * {@code processed/transactions}, ending on its latest day (from the partition folders, no scan), so
 * the figure does not drift with the day the job happens to run; without processed transactions it
 * is null and the run warns.
 *
 * <p>Cost: one scan of each raw dataset (products cached), an aggregation of the ids, a pruned scan
 * of the window's transaction partitions (two columns), broadcast joins, two small writes.
 */
public final class ProductEnrichment implements LakeJob {
  public static final String NAME = "products";
  private static final List<String> PRODUCT_COLUMNS = List.of("product_id", "sku", "name", "brand", "category_id",
      "category_name", "parent_category_id", "parent_category_name", "department", "category_path",
      ProductTransforms.UNKNOWN_CATEGORY, "price", "cost", "currency", "stock_quantity", "reorder_level", "is_active",
      "attributes", "updated_at", "stock_value", "margin", "margin_pct", "low_stock", "units_sold_window",
      "days_of_supply", "sales_window_end", "source_file", "ingested_at", "run_id", "job_name");

  @Override
  public String name() {
    return NAME;
  }

  /** It reads processed transactions (units sold in the window), so it needs their producer. */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(FlowStep.FILE_VERDICTS, "processed/" + config.transactions().dataset()),
        List.of(), List.of("processed/" + config.products().dataset(), "processed/" + config.products().categoriesDataset())));
  }

  @Override
  public JobResult run(JobContext ctx) {
    SparkSession spark = ctx.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    String folder = ctx.config().products().dataset();
    String categoriesFolder = ctx.config().products().categoriesDataset();
    EveryRawDate input = new EveryRawDate(ctx, RegistryScreen.rawZone(ctx));
    List<InputFile> files = input.files(folder);
    List<InputFile> categoryFiles = input.files(categoriesFolder);
    List<String> warnings = input.warnings();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    // days_of_supply reads processed transactions: a change there is new work too, found by a listing.
    String transactionsPath = ctx.paths().processed(ctx.config().transactions().dataset());
    boolean transactionsChanged = ctx.bookmark().dependencyChanged("processed/" + ctx.config().transactions().dataset(),
        DatasetSignature.of(hadoopConf, transactionsPath));
    if (input.nothingNew() && !transactionsChanged && !files.isEmpty()) {
      outputs.put("processed", ctx.paths().processed(folder));
      warnings.add(input.nothingNewWarning("files under " + ctx.paths().raw(folder) + " or "
          + ctx.paths().raw(categoriesFolder) + ", and no change in " + transactionsPath));
      return JobResult.nothingToDo(outputs, warnings);
    }

    ctx.fitToInputFiles(java.util.stream.Stream.concat(files.stream(), categoryFiles.stream()).toList());
    ctx.stage("read and resolve " + categoryFiles.size() + " category file(s)");
    Dataset<Row> categories = categories(ctx, categoryFiles, metrics, warnings, outputs);

    ctx.stage("read, validate and deduplicate " + files.size() + " product file(s)");
    Staged staged = Staging.stage(spark, ProductRules.PRODUCTS, files, Staging.Run.of(ctx));
    Dataset<Row> classified = staged.classified();
    RowCounts counts = staged.counts(files);

    ctx.stage("units sold in the sales window");
    int windowDays = ctx.config().products().salesWindowDays();
    Optional<LocalDate> windowEnd = latestTransactionDay(ctx, hadoopConf);
    Dataset<Row> unitsSold = unitsSoldInWindow(ctx, windowEnd, windowDays, warnings);
    metrics.put("sales_window", windowEnd.map(e -> e.minusDays(windowDays - 1L) + ".." + e).orElse("none"));

    ctx.stage("enrich and write processed/" + folder);
    Dataset<Row> products = classified
        .filter(col(RowRules.REJECT_REASON).isNull().and(col(RowCounts.SKIP_REASON).isNull()))
        .transform(ProductTransforms.withCategories(categories))
        .transform(ProductTransforms::withInventoryMetrics)
        .transform(ProductTransforms.withDaysOfSupply(unitsSold, windowDays))
        .withColumn("sales_window_end", lit(windowEnd.map(java.sql.Date::valueOf).orElse(null)).cast("date"))
        .select(PRODUCT_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    String processedPath = ctx.paths().processed(folder);
    long written = ObservedWrite.writeExpecting(products, NAME + "_written", counts.rowsToWrite(),
        rows -> PartitionedParquet.replaceWhole(rows, processedPath, ctx.runId(), hadoopConf));
    outputs.put("processed", processedPath);

    ctx.stage("write quarantine/" + folder);
    DatasetSink.quarantine(ctx, classified, ProductRules.PRODUCTS, folder, InputFile.rawDates(files),
        counts.rawDatesWithRejects());
    outputs.put("quarantine", ctx.paths().quarantine(folder));

    flagMetrics(ParquetRead.read(spark, processedPath), metrics, warnings);
    metrics.put("repeated_product_ids", staged.repeatedKeys());
    staged.release();
    return new JobResult(input.all(), counts.rowsRead(), written, counts.rejectedByReason(), counts.skippedByReason(),
        List.of(), outputs, metrics, warnings);
  }

  /**
   * Units sold per product in the window ending at the latest transaction day (a pruned read of its
   * partitions, one aggregation); none, with a warning, when there are no processed transactions.
   */
  private static Dataset<Row> unitsSoldInWindow(JobContext ctx, Optional<LocalDate> windowEnd, int windowDays,
      List<String> warnings) {
    if (windowEnd.isPresent()) {
      return unitsSold(ctx, windowEnd.get(), windowDays);
    }
    warnings.add("no processed transactions under " + ctx.paths().processed(ctx.config().transactions().dataset())
        + ": days_of_supply is null for every product");
    return ctx.spark().createDataFrame(List.of(), new StructType().add("product_id", DataTypes.StringType)
        .add("units_sold", DataTypes.LongType));
  }

  /** The products flagged unknown category, without sales in the window and low on stock (one aggregation of the written table). */
  private static void flagMetrics(Dataset<Row> written, Map<String, Object> metrics, List<String> warnings) {
    Row flags = written
        .agg(sum(when(col(ProductTransforms.UNKNOWN_CATEGORY), 1).otherwise(0)),
            sum(when(col("days_of_supply").isNull(), 1).otherwise(0)), sum(when(col("low_stock"), 1).otherwise(0)))
        .first();
    long unknownCategory = flags.isNullAt(0) ? 0 : flags.getLong(0);
    metrics.put("products_unknown_category", unknownCategory);
    metrics.put("products_without_sales_in_window", flags.isNullAt(1) ? 0 : flags.getLong(1));
    metrics.put("products_low_stock", flags.isNullAt(2) ? 0 : flags.getLong(2));
    if (unknownCategory > 0) {
      warnings.add(unknownCategory + " product(s) have a missing or unknown category_id (kept, unknown_category = true)");
    }
  }

  /**
   * Stages the categories (the latest file's row of each id wins), resolves their paths on the driver,
   * writes processed/categories and quarantine/categories, and returns the resolved categories for the
   * product join. A reference table of a few hundred rows: collected once ({@link Staged#collect}), so its
   * counts and paths cost no Spark execution; the scan, the key aggregation and the writes remain.
   */
  private Dataset<Row> categories(JobContext ctx, List<InputFile> files, Map<String, Object> metrics,
      List<String> warnings, Map<String, String> outputs) {
    SparkSession spark = ctx.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    String folder = ctx.config().products().categoriesDataset();
    Staged staged = Staging.stage(spark, ProductRules.CATEGORIES, files, Staging.Run.of(ctx));
    Staged.Collected collected = staged.collect(files);
    staged.release();
    RowCounts counts = collected.counts();

    List<CategoryPaths.Category> latest = new ArrayList<>();
    for (Row r : collected.kept()) {
      latest.add(new CategoryPaths.Category(r.getAs(ProductRules.CATEGORY_FIELDS.get(0)),
          r.getAs(ProductRules.CATEGORY_FIELDS.get(1)), r.getAs(ProductRules.CATEGORY_FIELDS.get(2)),
          r.getAs(ProductRules.CATEGORY_FIELDS.get(3))));
    }
    List<Row> rows = new ArrayList<>();
    long broken = 0;
    for (CategoryPaths.Resolved c : CategoryPaths.resolve(latest)) {
      rows.add(RowFactory.create(c.category().id(), c.category().name(), c.category().parentId(), c.parentName(),
          c.category().department(), c.path(), c.depth(), c.broken()));
      broken += c.broken() == null ? 0 : 1;
    }
    StructType schema = new StructType()
        .add("category_id", DataTypes.StringType).add("category_name", DataTypes.StringType)
        .add("parent_category_id", DataTypes.StringType).add("parent_category_name", DataTypes.StringType)
        .add("department", DataTypes.StringType).add("category_path", DataTypes.StringType)
        .add("depth", DataTypes.IntegerType).add("path_problem", DataTypes.StringType);
    Dataset<Row> resolved = spark.createDataFrame(rows, schema);
    String processedPath = ctx.paths().processed(folder);
    PartitionedParquet.replaceWhole(resolved.coalesce(1)
        .transform(Ingest.withIngestColumns(ctx.runId(), NAME, ctx.startedAt())), processedPath, ctx.runId(), hadoopConf);
    DatasetSink.quarantine(ctx, collected.asDataset(spark), ProductRules.CATEGORIES, folder, InputFile.rawDates(files),
        counts.rawDatesWithRejects());

    outputs.put("categories", processedPath);
    outputs.put("categories_quarantine", ctx.paths().quarantine(folder));
    metrics.put("categories_rows_read", counts.rowsRead());
    metrics.put("categories_written", (long) rows.size());
    metrics.put("categories_rejected_by_reason", counts.rejectedByReason());
    metrics.put("categories_skipped_by_reason", counts.skippedByReason());
    if (broken > 0) {
      warnings.add(broken + " categor" + (broken == 1 ? "y has" : "ies have")
          + " a path cut short (unknown parent or cycle): see path_problem in " + processedPath);
    }
    if (counts.rowsRead() != rows.size() + counts.rejectedByReason().values().stream().mapToLong(Long::longValue).sum()
        + counts.skippedByReason().values().stream().mapToLong(Long::longValue).sum()) {
      throw new IllegalStateException("Cannot account for every category row: read " + counts.rowsRead()
          + ", written " + rows.size() + ", rejected " + counts.rejectedByReason() + ", skipped "
          + counts.skippedByReason());
    }
    return resolved;
  }

  /** The latest day partition of processed/transactions, from its folder names (no data read). */
  private static Optional<LocalDate> latestTransactionDay(JobContext ctx, Configuration hadoopConf) {
    SortedSet<String> partitions = PartitionedParquet.listPartitions(hadoopConf,
        ctx.paths().processed(ctx.config().transactions().dataset()), 3);
    return partitions.isEmpty() ? Optional.empty() : Optional.of(DayPartitions.dates(partitions).last());
  }

  /** Completed units by product over [end - days + 1, end]: a filter on the partition columns prunes the scan. */
  private static Dataset<Row> unitsSold(JobContext ctx, LocalDate end, int days) {
    Dataset<Row> transactions = ParquetRead.read(ctx.spark(), ctx.paths().processed(ctx.config().transactions().dataset()));
    return DayPartitions.between(transactions, end.minusDays(days - 1L), end)
        .filter(col("status").equalTo("completed"))
        .groupBy(col("product_id"))
        .agg(sum(col("quantity")).as("units_sold"));
  }
}

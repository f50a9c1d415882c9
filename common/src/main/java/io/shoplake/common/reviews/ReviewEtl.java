package io.shoplake.common.reviews;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.year;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.RawZone;
import io.shoplake.common.validation.RegistryScreen;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Deduplication;
import io.shoplake.common.transform.Ingest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Reviews: raw JSON Lines -> validated, deduplicated Parquet in
 * {@code processed/reviews/year=/month=/day=} (UTC date of {@code review_ts}), rejects in
 * {@code quarantine/reviews/}.
 *
 * <p>Reads every raw date and rebuilds the dataset: the partitions it produces are overwritten, the
 * ones it no longer produces are deleted, so a rerun gives the same rows and a corrected file leaves
 * nothing stale. Deduplication on {@code review_id}: the latest {@code review_ts} wins, then the later
 * file, then a content hash; the others are quarantined as {@code duplicate}.
 *
 * <p>Cost: one JSON scan whose rows are cached, one narrow aggregation of the ids, one count
 * aggregation, two writes.
 */
public final class ReviewEtl implements LakeJob {
  public static final String NAME = "reviews";
  static final List<String> PARTITION_COLUMNS = DayPartitions.COLUMNS;
  private static final List<String> PROCESSED_COLUMNS = List.of("review_id", "product_id", "customer_id", "rating",
      "title", "body", "review_ts", "verified_purchase", "source_file", "ingested_at", "run_id", "job_name", "year",
      "month", "day");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    String dataset = ctx.config().reviews().dataset();
    String processedPath = ctx.paths().processed(dataset);
    RawZone rawZone = RegistryScreen.rawZone(ctx);
    List<InputFile> files = rawZone.requireDataset(dataset).list(dataset, Optional.empty());
    List<String> warnings = new ArrayList<>(rawZone.validationWarnings());
    ctx.args().runDate().ifPresent(d -> warnings.add(
        "--run-date " + d + " ignored: reviews rebuilds its dataset from every raw date"));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("processed", processedPath);
    outputs.put("quarantine", ctx.paths().quarantine(dataset));
    if (!ctx.bookmark().anyUnprocessed(files) && !files.isEmpty()) {
      warnings.add(FileBookmark.nothingNew("files under " + ctx.paths().raw(dataset)));
      return JobResult.nothingToDo(outputs, warnings);
    }

    ctx.stage("read and validate " + files.size() + " raw file(s)");
    Dataset<Row> staged = JsonLinesSource.read(ctx.spark(), files, ReviewRules.FIELDS, ReviewRules.CORRUPT_RECORD)
        .transform(ReviewRules::clean)
        .transform(RowRules.withRejectReason(ReviewRules.rules(ctx.config().validate().latestAcceptedTime(ctx.startedAt()))))
        .transform(ReviewRules::toTyped)
        .transform(Ingest.withIngestColumns(ctx.runId(), NAME, ctx.startedAt()))
        .withColumn("year", year(col("review_ts")))
        .withColumn("month", month(col("review_ts")))
        .withColumn("day", dayofmonth(col("review_ts")))
        .persist(StorageLevel.MEMORY_AND_DISK());

    ctx.stage("deduplicate on review_id");
    Dataset<Row> valid = staged.filter(col(RowRules.REJECT_REASON).isNull())
        .withColumn("_row_hash", xxhash64(col("review_id"), col("product_id"), col("customer_id"), col("rating"),
            col("title"), col("body"), col("review_ts"), col("verified_purchase")));
    Deduplication.Marked marked = Deduplication.deduplicate(valid, "review_id",
        List.of(col("review_ts").desc(), col("source_file").desc(), col("_row_hash").desc()));
    Dataset<Row> classified = staged.filter(col(RowRules.REJECT_REASON).isNotNull())
        .unionByName(marked.rows().drop("_row_hash"));

    ctx.stage("count rows by outcome");
    RowCounts counts = RowCounts.of(classified, PARTITION_COLUMNS).verifiedAgainst("review files", files);

    ctx.stage("write processed/" + dataset);
    Dataset<Row> processed = classified.filter(col(RowRules.REJECT_REASON).isNull())
        .select(PROCESSED_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    long written = ObservedWrite.writeExpecting(processed, NAME + "_written", counts.rowsToWrite(),
        rows -> PartitionedParquet.replacePartitions(rows, processedPath, PARTITION_COLUMNS,
            counts.partitionsToWrite(), PartitionedParquet.listPartitions(hadoopConf, processedPath, 3), hadoopConf));

    ctx.stage("write quarantine/" + dataset);
    QuarantineSink.write(classified.filter(col(RowRules.REJECT_REASON).isNotNull())
            .select(RawFields.quarantineColumns(ReviewRules.FIELDS, ReviewRules.CORRUPT_RECORD)),
        ReviewRules.FIELDS, ReviewRules.CORRUPT_RECORD, ctx.runId(), ctx.paths().quarantine(dataset),
        InputFile.rawDates(files), counts.rawDatesWithRejects(), hadoopConf);
    marked.release();
    staged.unpersist();

    if (files.isEmpty()) {
      warnings.add("no input files under " + ctx.paths().raw(dataset) + "/date=*: the dataset is now empty");
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("repeated_review_ids", marked.repeatedKeyCount());
    return new JobResult(files, counts.rowsRead(), written, counts.rejectedByReason(),
        new ArrayList<>(counts.partitionsToWrite()), outputs, metrics, warnings);
  }
}

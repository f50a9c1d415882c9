package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.RecordAccounting;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.transform.Deduplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * What only the transaction job does: merging a batch with the transactions already processed. The
 * processed partitions the batch touches (the event days of its rows, the days where its transaction
 * ids already are, the days holding rows from its own files) are rebuilt from the batch plus the rows
 * already there from other files; one row per {@code transaction_id} survives (latest
 * {@code transaction_ts}, then the batch's row, then the later file, then a content hash). So a rerun of
 * the same input gives the same rows, a corrected file leaves none of its old rows behind, and a
 * transaction that reappears in a later file replaces its older version wherever it was.
 *
 * <p>Cost: with processed rows, one scan of their {@code transaction_id}, {@code source_file} and
 * partition columns and a broadcast join on the touched days; one aggregation that finds the repeated ids
 * and counts every staged row in the same read ({@link #keysAndReadCounts}); one count aggregation of the
 * repeated ids' rows and the carried ones, when there are any.
 */
final class TransactionMerge {
  static final String ORIGIN = "_origin";
  static final String FROM_INPUT = "input";
  static final String FROM_LAKE = "lake";
  private static final String REPEATED = "_repeated_id";
  private static final String PART = "_part";
  private static final String KEY = "_key";
  private static final String PART_KEY = "key";
  private static final String PART_READ = "read";
  /** What every staged row is counted by, in {@link #keysAndReadCounts}. */
  private static final List<String> READ_KEYS = List.of(RowRules.REJECT_REASON, "raw_date", "source_file", "year",
      "month", "day");
  private static final String PART_RANKED = "ranked";
  private static final String PART_CARRIED = "carried";

  private TransactionMerge() {}

  /**
   * The batch with the processed rows of the partitions it touches, each row marked (valid, or
   * {@code duplicate}), ready to be counted and written.
   *
   * @param marked the candidates with deduplication's verdict; release it once written
   * @param carried the processed rows of the touched partitions that are candidates, or null without any
   * @param touchedPartitions every processed partition the merge rewrites (or empties)
   */
  record Merged(Deduplication.Marked marked, Dataset<Row> carried, Set<String> touchedPartitions,
      List<Row> readCounts, Dataset<Row> keysAndCounts) {
    /** Unpersists what the merge cached (the repeated ids and their ranked rows), once the rows are written. */
    void release() {
      marked.release();
      keysAndCounts.unpersist();
    }
  }

  /**
   * @param staged this run's rows, each with the rules' {@code reject_reason} (null for a valid row), without
   *     the USD columns: they are null on the batch's rows here and derived for them by the write (see
   *     {@link TransactionSchema#USD_COLUMNS})
   * @param files the files the batch came from: their old rows are replaced
   */
  static Merged merge(SparkSession spark, Dataset<Row> staged, List<InputFile> files, String processedPath) {
    Dataset<Row> batch = staged.filter(col(RowRules.REJECT_REASON).isNull()).drop(RowRules.REJECT_REASON);
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Set<String> touchedPartitions = new TreeSet<>();
    Dataset<Row> candidates = withNullUsdColumns(batch).withColumn(ORIGIN, lit(FROM_INPUT));
    Dataset<Row> carried = null;
    // Before the processed rows are listed: a commit a killed run left half done is finished first, or the
    // rows of a partition it had deleted but not yet moved back would be missing from the merge.
    PartitionedParquet.removeStaleStaging(hadoopConf, processedPath, null);
    if (PartitionedParquet.exists(hadoopConf, processedPath)) {
      Dataset<Row> existing = spark.read().schema(TransactionSchema.processed()).parquet(processedPath);
      Dataset<Row> batchIds = candidates.select(col("transaction_id")).distinct();
      List<String> inputPaths = files.stream().map(InputFile::relativePath).toList();
      Dataset<Row> touched = candidates.select("year", "month", "day")
          .union(existing.join(batchIds, "transaction_id").select("year", "month", "day"))
          .union(existing.filter(col("source_file").isin(inputPaths.toArray())).select("year", "month", "day"))
          .distinct();
      List<Row> touchedRows = touched.collectAsList();
      touchedRows.forEach(r -> touchedPartitions.add(DayPartitions.name(r.getInt(0), r.getInt(1), r.getInt(2))));
      Dataset<Row> touchedKeys = spark.createDataFrame(touchedRows, touched.schema())
          .toDF("t_year", "t_month", "t_day");
      carried = existing
          .join(broadcast(touchedKeys), col("year").equalTo(col("t_year"))
              .and(col("month").equalTo(col("t_month"))).and(col("day").equalTo(col("t_day"))), "left_semi")
          .filter(not(col("source_file").isin(inputPaths.toArray())))
          .withColumn(RawFields.RAW, lit(null).cast(batch.schema().apply(RawFields.RAW).dataType()))
          .withColumn(RawFields.CORRUPT_RECORD, lit(null).cast("string"))
          .withColumn("raw_date", lit(null).cast("string"))
          .withColumn(ORIGIN, lit(FROM_LAKE));
      candidates = candidates.unionByName(carried);
    }
    Dataset<Row> keysAndCounts = keysAndReadCounts(staged, carried).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> fromCache = CachedPlans.startingAtCache(keysAndCounts);
    List<Row> readCounts = fromCache.filter(col(PART).equalTo(PART_READ)).collectAsList();
    Dataset<Row> repeatedIds = fromCache.filter(col(PART).equalTo(PART_KEY));
    Row repeated = repeatedIds.agg(count(lit(1)), sum(col("count"))).first();
    // Latest ts, then this run's rows ("input" sorts before "lake"), then the latest file, then the content
    // (a hash computed only for the rows of repeated ids, in the ranking).
    Deduplication.Marked marked = Deduplication.deduplicate(candidates, "transaction_id", List.of(
        col("transaction_ts").desc(), col(ORIGIN).asc(), col("source_file").desc(),
        xxhash64(businessColumns()).desc()), repeatedIds.select(col(KEY).as("transaction_id")),
        repeated.getLong(0), repeated.isNullAt(1) ? 0 : repeated.getLong(1));
    return new Merged(marked, carried, touchedPartitions, readCounts, keysAndCounts);
  }

  /**
   * One aggregation for two answers: the transaction ids that occur more than once among the batch's valid
   * rows and the carried ones (part {@code key}: the ids deduplication needs), and every staged row counted by
   * {@link #READ_KEYS} (part {@code read}: the rows read, rejected and to write, by file and day). Why one: each
   * read of the staged cache is a full read, at 10M rows a few GB mostly from disk, and the counts had one of
   * their own (8-9 s at 10M rows; with this, the job 4 s faster, docs/BENCHMARKS.md thirteenth round). Each
   * staged row goes in twice (an explode in the scan's generated code): the valid ones under their id, every
   * one under its counting keys. Costs the scan, a partial aggregation whose key is the id or the counting
   * keys (wider than the id alone: the first pass took 2-7 s more at 10M), and a shuffle of what it leaves.
   * Rows: {@code _part, _key, } the counting keys, {@code count}; only the repeated ids and the counts.
   */
  private static Dataset<Row> keysAndReadCounts(Dataset<Row> staged, Dataset<Row> carried) {
    Column isKey = col(PART).equalTo(PART_KEY);
    List<Column> columns = new ArrayList<>(List.of(col(PART), when(isKey, col("transaction_id")).as(KEY)));
    READ_KEYS.forEach(k -> columns.add(when(not(isKey), col(k)).as(k)));
    Dataset<Row> parts = staged.select(col("transaction_id"), col(RowRules.REJECT_REASON), col("raw_date"),
            col("source_file"), col("year"), col("month"), col("day"),
            explode(array(lit(PART_KEY), lit(PART_READ))).as(PART))
        .filter(not(isKey).or(col(RowRules.REJECT_REASON).isNull()))
        .select(columns.toArray(new Column[0]));
    if (carried != null) {
      List<Column> carriedColumns = new ArrayList<>(List.of(lit(PART_KEY).as(PART), col("transaction_id").as(KEY)));
      for (String k : READ_KEYS) {
        carriedColumns.add(lit(null).cast(parts.schema().apply(k).dataType()).as(k));
      }
      parts = parts.unionByName(carried.select(carriedColumns.toArray(new Column[0])));
    }
    List<Column> groups = new ArrayList<>(List.of(col(PART), col(KEY)));
    READ_KEYS.forEach(k -> groups.add(col(k)));
    return parts.groupBy(groups.toArray(new Column[0])).count()
        .filter(not(isKey).or(col("count").gt(1)));
  }

  /** The batch with the USD columns as typed nulls, so that it unions with the processed rows, which have them. */
  private static Dataset<Row> withNullUsdColumns(Dataset<Row> batch) {
    Dataset<Row> withNulls = batch;
    for (String column : TransactionSchema.USD_COLUMNS) {
      withNulls = withNulls.withColumn(column, lit(null).cast(TransactionSchema.processed().apply(column).dataType()));
    }
    return withNulls;
  }

  /**
   * The row accounting of a merge.
   *
   * @param rowsRead every row of the input
   * @param rejected the input's rows quarantined, by reason (rules, then {@code duplicate})
   * @param datesWithRejects the raw dates with quarantined rows
   * @param rowsToWrite the input's rows written
   * @param carriedOver processed rows rewritten unchanged
   * @param superseded processed rows replaced by a newer version
   * @param writtenPartitions the partitions the write fills
   */
  record Counts(long rowsRead, Map<String, Long> rejected, Set<String> datesWithRejects, long rowsToWrite,
      long carriedOver, long superseded, Set<String> writtenPartitions) {}

  /**
   * The row accounting of a merge: the input's rows from their counts by {@link #READ_KEYS} (found with the
   * repeated ids, {@link #keysAndReadCounts}), corrected by one aggregation of the ranked rows of repeated ids
   * (by origin and verdict) and of the carried rows whose id does not repeat; with neither, no Spark job. An
   * input row of a repeated id is counted as a valid row to write, then moved by its ranked copy's verdict.
   * The rows read are checked against the files' records.
   */
  static Counts counts(Merged merged, List<InputFile> files) {
    Deduplication.Marked marked = merged.marked();
    Map<String, Long> rejected = new TreeMap<>();
    Set<String> datesWithRejects = new TreeSet<>();
    Map<String, Long> rowsByFile = new TreeMap<>();
    Map<String, Long> toWriteByPartition = new TreeMap<>();
    long rowsRead = 0;
    long toWrite = 0;
    long carriedOver = 0;
    long superseded = 0;
    for (Row r : merged.readCounts()) { // _part, _key, reject_reason, raw_date, source_file, year, month, day, count
      long n = r.getLong(8);
      rowsRead += n;
      rowsByFile.merge(r.getString(4), n, Long::sum);
      if (!r.isNullAt(2)) {
        rejected.merge(r.getString(2), n, Long::sum);
        datesWithRejects.add(r.getString(3));
      } else {
        toWrite += n;
        toWriteByPartition.merge(DayPartitions.name(r.getInt(5), r.getInt(6), r.getInt(7)), n, Long::sum);
      }
    }
    RecordAccounting.verify("transaction files", files, rowsByFile);
    Dataset<Row> corrections = null;
    if (marked.ranked() != null) {
      corrections = countedPart(CachedPlans.startingAtCache(marked.ranked()), PART_RANKED);
    }
    if (merged.carried() != null) {
      Dataset<Row> carried = countedPart(marked.withRepeatedKeyFlag(merged.carried(), REPEATED)
          .filter(col(REPEATED).isNull()).withColumn(RowRules.REJECT_REASON, lit(null).cast("string")),
          PART_CARRIED);
      corrections = corrections == null ? carried : corrections.unionByName(carried);
    }
    List<Row> correctionRows = corrections == null ? List.of()
        : corrections.groupBy(col(PART), col(ORIGIN), col(RowRules.REJECT_REASON), col("raw_date"), col("year"),
            col("month"), col("day")).agg(count(lit(1))).collectAsList();
    for (Row r : correctionRows) {
      boolean fromInput = FROM_INPUT.equals(r.getString(1));
      boolean valid = r.isNullAt(2);
      long n = r.getLong(7);
      if (fromInput) {
        // Counted above as a valid row to write; its ranked copy says whether it is one.
        String partition = DayPartitions.name(r.getInt(4), r.getInt(5), r.getInt(6));
        if (!valid) {
          toWrite -= n;
          toWriteByPartition.merge(partition, -n, Long::sum);
          rejected.merge(Deduplication.DUPLICATE, n, Long::sum);
          datesWithRejects.add(r.getString(3));
        }
      } else if (valid) {
        carriedOver += n;
        toWriteByPartition.merge(DayPartitions.name(r.getInt(4), r.getInt(5), r.getInt(6)), n, Long::sum);
      } else {
        superseded += n;
      }
    }
    Set<String> writtenPartitions = new TreeSet<>();
    toWriteByPartition.forEach((partition, n) -> {
      if (n > 0) {
        writtenPartitions.add(partition);
      }
    });
    return new Counts(rowsRead, rejected, datesWithRejects, toWrite, carriedOver, superseded, writtenPartitions);
  }

  /**
   * The processed rows this merge replaces with a newer version from the input (what {@link Counts#superseded}
   * counts), as {@code source_file} and {@code transaction_id}, one row each. Costs a read of the cached ranked
   * rows (the repeated ids' only) and a collect; call it only when {@link Counts#superseded} is not 0.
   */
  static List<Row> supersededKeys(Merged merged) {
    Dataset<Row> ranked = merged.marked().ranked();
    if (ranked == null) {
      return List.of();
    }
    return CachedPlans.startingAtCache(ranked)
        .filter(col(ORIGIN).equalTo(FROM_LAKE).and(col(RowRules.REJECT_REASON).isNotNull()))
        .select(col("source_file"), col("transaction_id")).distinct().collectAsList();
  }

  /** The columns {@link #counts} groups by, with {@code part} naming where the rows come from. */
  private static Dataset<Row> countedPart(Dataset<Row> rows, String part) {
    return rows.select(lit(part).as(PART), col(ORIGIN), col(RowRules.REJECT_REASON), col("raw_date"), col("year"),
        col("month"), col("day"));
  }

  /** The business columns that identify a row's content (not its lineage), for a stable tie-break. */
  private static Column[] businessColumns() {
    return List.of("transaction_id", "customer_id", "product_id", "quantity", "unit_price", "discount_amount",
            "tax_amount", "currency", "payment_method", "status", "transaction_ts", "customer_email_hash",
            "shipping_country")
        .stream().map(c -> col(c)).toArray(Column[]::new);
  }
}

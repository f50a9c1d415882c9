package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.RecordAccounting;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.spark.CachedPlans;
import io.shoplake.common.transform.Deduplication;
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
 * partition columns and a broadcast join on the touched days; one narrow aggregation of the ids to find
 * the repeated ones (see {@link Deduplication}); one count aggregation.
 */
final class TransactionMerge {
  static final String ORIGIN = "_origin";
  static final String FROM_INPUT = "input";
  static final String FROM_LAKE = "lake";
  private static final String REPEATED = "_repeated_id";
  private static final String PART = "_part";
  private static final String PART_READ = "read";
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
  record Merged(Deduplication.Marked marked, Dataset<Row> carried, Set<String> touchedPartitions) {}

  /**
   * @param batch this run's valid rows (no {@code reject_reason}), without the USD columns: they are null on
   *     the batch's rows here and derived for them by the write (see {@link TransactionSchema#USD_COLUMNS})
   * @param files the files the batch came from: their old rows are replaced
   */
  static Merged merge(SparkSession spark, Dataset<Row> batch, List<InputFile> files, String processedPath) {
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
    // Latest ts, then this run's rows ("input" sorts before "lake"), then the latest file, then the content
    // (a hash computed only for the rows of repeated ids, in the ranking).
    Deduplication.Marked marked = Deduplication.deduplicate(candidates, "transaction_id", List.of(
        col("transaction_ts").desc(), col(ORIGIN).asc(), col("source_file").desc(),
        xxhash64(businessColumns()).desc()));
    return new Merged(marked, carried, touchedPartitions);
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
   * The row accounting in one aggregation: every input row (by reason, raw date, file and day, and whether
   * its id repeats), the ranked rows of repeated ids (by origin and verdict) and the carried rows whose id
   * does not repeat. Why one: the staged rows are read once, not once for the rows read and again for the
   * merged ones; at 10M rows each read of the cache is a full read of a few GB, mostly from disk. An input
   * row of a repeated id is read here and counted from its ranked copy; the rows read are checked against
   * the files' records.
   *
   * @param staged every input row, with the rules' {@code reject_reason}
   */
  static Counts counts(Dataset<Row> staged, Merged merged, List<InputFile> files) {
    Deduplication.Marked marked = merged.marked();
    Dataset<Row> accounted = countedPart(marked.withRepeatedKeyFlag(staged, "transaction_id", REPEATED)
        .withColumn(ORIGIN, lit(FROM_INPUT)), PART_READ, col(REPEATED).isNotNull());
    if (marked.ranked() != null) {
      accounted = accounted.unionByName(countedPart(CachedPlans.startingAtCache(marked.ranked()), PART_RANKED,
          lit(true)));
    }
    if (merged.carried() != null) {
      accounted = accounted.unionByName(countedPart(marked.withRepeatedKeyFlag(merged.carried(), "transaction_id",
          REPEATED).filter(col(REPEATED).isNull()).withColumn(RowRules.REJECT_REASON, lit(null).cast("string")),
          PART_CARRIED, lit(false)));
    }
    Map<String, Long> rejected = new TreeMap<>();
    Set<String> datesWithRejects = new TreeSet<>();
    Map<String, Long> rowsByFile = new TreeMap<>();
    Set<String> writtenPartitions = new TreeSet<>();
    long rowsRead = 0;
    long toWrite = 0;
    long carriedOver = 0;
    long superseded = 0;
    for (Row r : accounted.groupBy(col(PART), col(ORIGIN), col(RowRules.REJECT_REASON), col("raw_date"),
            col("source_file"), col("year"), col("month"), col("day"), col(REPEATED))
        .agg(count(lit(1))).collectAsList()) {
      String part = r.getString(0);
      boolean fromInput = FROM_INPUT.equals(r.getString(1));
      String reason = r.isNullAt(2) ? null : r.getString(2);
      long n = r.getLong(9);
      if (part.equals(PART_READ)) {
        rowsRead += n;
        rowsByFile.merge(r.getString(4), n, Long::sum);
        if (reason != null) {
          rejected.merge(reason, n, Long::sum);
          datesWithRejects.add(r.getString(3));
          continue;
        }
        if (r.getBoolean(8)) {
          continue; // counted from its ranked copy
        }
      }
      if (reason == null) {
        writtenPartitions.add(DayPartitions.name(r.getInt(5), r.getInt(6), r.getInt(7)));
        if (fromInput) {
          toWrite += n;
        } else {
          carriedOver += n;
        }
      } else if (fromInput) {
        rejected.merge(Deduplication.DUPLICATE, n, Long::sum);
        datesWithRejects.add(r.getString(3));
      } else {
        superseded += n;
      }
    }
    RecordAccounting.verify("transaction files", files, rowsByFile);
    return new Counts(rowsRead, rejected, datesWithRejects, toWrite, carriedOver, superseded, writtenPartitions);
  }

  /** The columns {@link #counts} groups by, with {@code part} naming where the rows come from. */
  private static Dataset<Row> countedPart(Dataset<Row> rows, String part, Column repeated) {
    return rows.select(lit(part).as(PART), col(ORIGIN), col(RowRules.REJECT_REASON), col("raw_date"),
        col("source_file"), col("year"), col("month"), col("day"), repeated.as(REPEATED));
  }

  /** The business columns that identify a row's content (not its lineage), for a stable tie-break. */
  private static Column[] businessColumns() {
    return List.of("transaction_id", "customer_id", "product_id", "quantity", "unit_price", "discount_amount",
            "tax_amount", "currency", "payment_method", "status", "transaction_ts", "customer_email_hash",
            "shipping_country")
        .stream().map(c -> col(c)).toArray(Column[]::new);
  }
}

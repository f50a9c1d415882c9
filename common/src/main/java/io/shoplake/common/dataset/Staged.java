package io.shoplake.common.dataset;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.io.RecordAccounting;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Deduplication;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A dataset's staged rows ({@link Staging#stage}): every row read, cached, with its outcome. Reading
 * its parts costs nothing until an action; {@link #release} drops the caches.
 *
 * @param rows every row read, validated and typed, with the ingest columns (over the cache)
 * @param marked the valid rows with deduplication's verdict, or null for a dataset without a key
 * @param cached what {@link #release} unpersists: the rows as cached, before the ingest columns
 */
public record Staged(RawDataset dataset, Dataset<Row> rows, Deduplication.Marked marked, Dataset<Row> cached) {
  /** The skip reason of a row that lost to a newer version of its key ({@link Dedup.Losers}). */
  public static final String OLDER_VERSION = "older_version";

  /** The rows a rule rejected (not the duplicates). */
  public Dataset<Row> rejected() {
    return rows.filter(col(RowRules.REJECT_REASON).isNotNull());
  }

  /**
   * The valid rows, each with its outcome: kept (no reason), {@code duplicate} (quarantined) or, for a
   * dataset that keeps the latest version, skipped as {@link #OLDER_VERSION} (with {@code skip_reason}).
   */
  public Dataset<Row> deduplicated() {
    if (marked == null) {
      return rows.filter(col(RowRules.REJECT_REASON).isNull());
    }
    Dataset<Row> verdicts = marked.rows();
    if (dataset.dedup().orElseThrow().losers() == Dedup.Losers.QUARANTINED) {
      return verdicts;
    }
    Column older = col(RowRules.REJECT_REASON).equalTo(Deduplication.DUPLICATE);
    return verdicts
        .withColumn(RowCounts.SKIP_REASON, when(older, lit(OLDER_VERSION)))
        .withColumn(RowRules.REJECT_REASON, lit(null).cast("string"));
  }

  /** Every row read with its outcome: the rejected rows and the deduplicated ones. */
  public Dataset<Row> classified() {
    Dataset<Row> deduplicated = deduplicated();
    Dataset<Row> rejected = rejected();
    if (List.of(deduplicated.columns()).contains(RowCounts.SKIP_REASON)) {
      rejected = rejected.withColumn(RowCounts.SKIP_REASON, lit(null).cast("string"));
    }
    return rejected.unionByName(deduplicated);
  }

  /**
   * The row accounting of {@link #classified()}, checked against the records of {@code files}
   * ({@link RecordAccounting}). One aggregation over the cached rows.
   */
  public RowCounts counts(List<InputFile> files) {
    return RowCounts.of(classified(), partitionColumns()).verifiedAgainst(dataset.name() + " files", files);
  }

  /**
   * {@link #classified()} brought to the driver in one collect, with its row accounting counted there: for
   * a small reference table (FX rates, categories), where every further Spark execution would cost more
   * planning than its rows. The collected rows no longer need the cache; {@link #release} may follow.
   */
  public Collected collect(List<InputFile> files) {
    Dataset<Row> plan = classified();
    StructType schema = plan.schema();
    List<Row> rows = plan.collectAsList();
    RowCounts counts = RowCounts.ofCollected(rows, schema, partitionColumns())
        .verifiedAgainst(dataset.name() + " files", files);
    return new Collected(rows, schema, counts);
  }

  /**
   * A staged dataset's classified rows on the driver ({@link #collect}).
   *
   * @param classified every row read with its outcome, as {@link #classified()} has them
   * @param schema their columns
   * @param counts their row accounting, verified against the files' records
   */
  public record Collected(List<Row> classified, StructType schema, RowCounts counts) {
    /** The rows with neither a reject nor a skip reason, every column, by name ({@code getAs}). */
    public List<Row> kept() {
      int reject = schema.fieldIndex(RowRules.REJECT_REASON);
      int skip = List.of(schema.fieldNames()).indexOf(RowCounts.SKIP_REASON); // -1: losers are quarantined
      return classified.stream().filter(r -> r.isNullAt(reject) && (skip < 0 || r.isNullAt(skip))).toList();
    }

    /** Every classified row as a local relation: what a write of them reads, without touching the cache. */
    public Dataset<Row> asDataset(SparkSession spark) {
      return spark.createDataFrame(classified, schema);
    }
  }

  /** The output's partition columns: {@code year, month, day} for a day-partitioned dataset, else none. */
  public List<String> partitionColumns() {
    return dataset.dayOf().isPresent() ? DayPartitions.COLUMNS : List.of();
  }

  /** How many keys occurred more than once (0 without a key). */
  public long repeatedKeys() {
    return marked == null ? 0 : marked.repeatedKeyCount();
  }

  public void release() {
    if (marked != null) {
      marked.release();
    }
    cached.unpersist();
  }
}

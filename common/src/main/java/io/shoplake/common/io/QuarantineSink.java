package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Contracts;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes rejected rows to {@code quarantine/<dataset>/date=YYYY-MM-DD/} (the raw date they were
 * delivered in): the original fields as read, {@code raw_line} for a line that could not be split
 * into fields, {@code reject_reason}, {@code source_file} and {@code run_id}.
 *
 * <p>A run replaces the quarantine of every raw date it read: dates with rejected rows by dynamic
 * partition overwrite, dates that now have none by deleting their folder. So a rerun never
 * duplicates quarantined rows, and a fixed file leaves no stale rejects behind.
 *
 * <p>A job that reads only some files of a date (an incremental run: the bookmark left out the files it
 * processed before) uses {@link #merge} instead, which keeps the rejects of the files it did not read.
 */
public final class QuarantineSink {
  public static final String RAW_LINE = "raw_line";

  private QuarantineSink() {}

  /**
   * @param rejected rows with the original fields, {@code reject_reason}, {@code source_file} and
   *     {@code raw_date}; {@code corruptColumn} (may be absent) becomes {@code raw_line}
   * @param rawDatesRead every raw date the run read
   */
  public static void write(Dataset<Row> rejected, List<String> originalFields, String corruptColumn,
      String runId, String path, Collection<String> rawDatesRead, Collection<String> rawDatesWithRejects,
      Configuration hadoopConf) {
    Dataset<Row> rows = quarantineRows(rejected, originalFields, corruptColumn, runId);
    if (!rawDatesWithRejects.isEmpty()) {
      PartitionedParquet.overwritePartitions(rows, path, List.of("date"));
    }
    Set<String> cleared = new TreeSet<>(rawDatesRead);
    cleared.removeAll(rawDatesWithRejects);
    PartitionedParquet.deletePartitions(hadoopConf, path, cleared.stream().map(d -> "date=" + d).toList());
  }

  /**
   * As {@link #write}, but the rejects already in the quarantine for the dates read that came from
   * files other than {@code filesRead} are kept: the rows of the files read are replaced, the others
   * stay. Cost: a scan of the quarantine folders of the dates read (small next to the data).
   */
  public static void merge(Dataset<Row> rejected, List<String> originalFields, String corruptColumn,
      String runId, String path, Collection<String> rawDatesRead, Collection<String> rawDatesWithRejects,
      Collection<String> filesRead, Configuration hadoopConf) {
    Dataset<Row> rows = quarantineRows(rejected, originalFields, corruptColumn, runId);
    Set<String> dates = new TreeSet<>(rawDatesWithRejects);
    PartitionedParquet.removeStaleStaging(hadoopConf, path, null); // a killed commit finished before the read
    if (PartitionedParquet.exists(hadoopConf, path) && !rawDatesRead.isEmpty()) {
      Dataset<Row> kept = rejected.sparkSession().read().schema(rows.schema()).parquet(path)
          .filter(col("date").isin(rawDatesRead.toArray()).and(not(col("source_file").isin(filesRead.toArray()))));
      kept.select("date").distinct().collectAsList().forEach(r -> dates.add(r.getString(0)));
      rows = rows.unionByName(kept);
    }
    if (!dates.isEmpty()) {
      PartitionedParquet.overwritePartitions(rows, path, List.of("date"));
    }
    Set<String> cleared = new TreeSet<>(rawDatesRead);
    cleared.removeAll(dates);
    PartitionedParquet.deletePartitions(hadoopConf, path, cleared.stream().map(d -> "date=" + d).toList());
  }

  /**
   * Replaces some of the rows already in the quarantine partitions of {@code dates} with {@code rejected}: for
   * rows of files a run did not read whose verdict it changed (a processed transaction that a later file
   * replaced is a {@code duplicate} now). The rows {@code kept} leaves out go, the others stay, and the partitions
   * are rewritten; a partition left with no row is deleted. Given the same rows again it leaves the same
   * partitions, so a rerun after a kill adds nothing twice. Cost: a scan of those dates' quarantine folders, cached
   * with {@code rejected} (one read of its source) for a collect of the dates they fill and their rewrite.
   *
   * @param kept the rows of the partitions that stay, given every row already there
   */
  public static void replace(Dataset<Row> rejected, List<String> originalFields, String corruptColumn,
      String runId, String path, Collection<String> dates, UnaryOperator<Dataset<Row>> kept,
      Configuration hadoopConf) {
    Dataset<Row> rows = quarantineRows(rejected, originalFields, corruptColumn, runId);
    PartitionedParquet.removeStaleStaging(hadoopConf, path, null); // a killed commit finished before the read
    if (PartitionedParquet.exists(hadoopConf, path)) {
      rows = rows.unionByName(kept.apply(rejected.sparkSession().read().schema(rows.schema()).parquet(path)
          .filter(col("date").isin(dates.toArray()))));
    }
    // Cached, so that the rows' source (the files read again, for a caller that reads raw files) is read once
    // for the dates they fill and the write: they are few, the quarantine of a few dates.
    Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Set<String> filled = new TreeSet<>();
      cached.select("date").distinct().collectAsList().forEach(r -> filled.add(r.getString(0)));
      if (!filled.isEmpty()) {
        PartitionedParquet.overwritePartitions(cached, path, List.of("date"));
      }
      Set<String> emptied = new TreeSet<>(dates);
      emptied.removeAll(filled);
      PartitionedParquet.deletePartitions(hadoopConf, path, emptied.stream().map(d -> "date=" + d).toList());
    } finally {
      cached.unpersist();
    }
  }

  private static Dataset<Row> quarantineRows(Dataset<Row> rejected, List<String> originalFields, String corruptColumn,
      String runId) {
    Contracts.requireColumns(rejected, "quarantine rows", RowRules.REJECT_REASON, "source_file", "raw_date");
    Column[] columns = new Column[originalFields.size() + 5];
    int i = 0;
    for (String field : originalFields) {
      columns[i++] = col(field);
    }
    boolean hasCorrupt = List.of(rejected.columns()).contains(corruptColumn);
    columns[i++] = (hasCorrupt ? col(corruptColumn) : lit(null).cast("string")).as(RAW_LINE);
    columns[i++] = col(RowRules.REJECT_REASON);
    columns[i++] = col("source_file");
    columns[i++] = lit(runId).as("run_id");
    columns[i] = col("raw_date").as("date");
    return rejected.select(columns);
  }
}

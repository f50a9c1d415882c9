package io.shoplake.common.dataset;

import static org.apache.spark.sql.functions.col;

import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a staged dataset's rows go: the processed rows to their partitions, observed so the manifest's
 * rows written is what the write saw, and the rejected rows to quarantine with the fields as read.
 */
public final class DatasetSink {
  private DatasetSink() {}

  /**
   * Replaces the day partitions of {@code path} with {@code rows} (the columns to write, in order), and
   * deletes the partitions of {@code path} that the rows no longer fill: the dataset was rebuilt from
   * every raw date. Fails unless the write saw exactly the rows {@code counts} expected. One write.
   *
   * @return the rows written
   */
  public static long replaceDayPartitions(JobContext ctx, Dataset<Row> rows, RowCounts counts, String path) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    return ObservedWrite.writeExpecting(rows, ctx.jobName() + "_written", counts.rowsToWrite(),
        observed -> PartitionedParquet.replacePartitions(observed, path, DayPartitions.COLUMNS,
            counts.partitionsToWrite(), PartitionedParquet.listPartitions(hadoopConf, path, 3), hadoopConf));
  }

  /** {@code classified}'s columns {@code columns}, for the rows with neither a reject nor a skip reason. */
  public static Dataset<Row> kept(Dataset<Row> classified, List<String> columns) {
    Column keep = col(RowRules.REJECT_REASON).isNull();
    if (List.of(classified.columns()).contains(RowCounts.SKIP_REASON)) {
      keep = keep.and(col(RowCounts.SKIP_REASON).isNull());
    }
    return classified.filter(keep).select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * Writes the rejected rows of {@code classified} to {@code quarantine/<folder>/date=…/} and clears the
   * quarantine of the raw dates read that no longer have any ({@link QuarantineSink#write}).
   */
  public static void quarantine(JobContext ctx, Dataset<Row> classified, RawDataset dataset, String folder,
      Collection<String> rawDatesRead, Collection<String> rawDatesWithRejects) {
    QuarantineSink.write(classified.filter(col(RowRules.REJECT_REASON).isNotNull())
            .select(RawFields.quarantineColumns(dataset.fields(), RawFields.CORRUPT_RECORD)),
        dataset.fields(), RawFields.CORRUPT_RECORD, ctx.runId(), ctx.paths().quarantine(folder), rawDatesRead,
        rawDatesWithRejects, ctx.spark().sparkContext().hadoopConfiguration());
  }
}

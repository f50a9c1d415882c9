package io.shoplake.common.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Idempotent writes of partitioned Snappy Parquet: dynamic partition overwrite replaces exactly the
 * partitions present in the data and leaves the others alone, so rerunning a day replaces that
 * day and never appends duplicates. Spark stages the files and moves each partition into place at
 * job commit, so readers never see a half-written partition of a finished job.
 *
 * <p>No repartitioning is done here: each task writes one file per partition it holds (Spark sorts
 * the task's rows by the partition columns), so the file count follows the input splits, not the
 * shuffle partitions.
 */
public final class PartitionedParquet {
  private PartitionedParquet() {}

  public static void overwritePartitions(Dataset<Row> rows, String path, List<String> partitionColumns) {
    rows.write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .option("compression", "snappy")
        .partitionBy(partitionColumns.toArray(new String[0]))
        .parquet(path);
  }

  /**
   * Deletes partition folders (relative names such as {@code year=2025/month=1/day=15}) that a run
   * emptied: dynamic overwrite cannot replace a partition with nothing. A folder that is not there is
   * fine.
   */
  public static void deletePartitions(Configuration hadoopConf, String path, Collection<String> partitions) {
    for (String partition : partitions) {
      Path dir = new Path(path + "/" + partition);
      try {
        FileSystem fs = dir.getFileSystem(hadoopConf);
        fs.delete(dir, true);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete emptied partition " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** True when {@code path} holds a dataset (exists and is not empty). */
  public static boolean exists(Configuration hadoopConf, String path) {
    Path dir = new Path(path);
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      return fs.exists(dir) && fs.listStatus(dir).length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + dir + ": " + e.getMessage(), e);
    }
  }
}

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
 * the task's rows by the partition columns, or, with conf/local.conf's concurrent output writers, keeps
 * a file open per partition and sorts only past their number), so the file count follows the input
 * splits, not the shuffle partitions.
 */
public final class PartitionedParquet {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionedParquet.class);

  /**
   * What follows {@code _staging-<name>-} in a staging folder of {@code <name>} itself: a run id (ours, or
   * Glue's, which has no '-'), so the staging of a sibling whose name only starts like it is never taken.
   */
  private static final java.util.regex.Pattern RUN_ID_SUFFIX =
      java.util.regex.Pattern.compile("[^-]+|\\d{8}T\\d{6}Z-[0-9a-f]{8}");

  private PartitionedParquet() {}

  public static void overwritePartitions(Dataset<Row> rows, String path, List<String> partitionColumns) {
    removeStaleStaging(rows.sparkSession().sparkContext().hadoopConfiguration(), path, null);
    rows.write()
        .mode(SaveMode.Overwrite)
        // Upper case: Spark upper-cases a write option in the JVM's locale (InsertIntoHadoopFsRelationCommand), and
        // in a Turkish one "dynamic" becomes "DYNAMİC", which it does not know.
        .option("partitionOverwriteMode", "DYNAMIC")
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

  /**
   * Replaces the partitions in {@code scope} by {@code rows}: the partitions {@code rows} holds
   * ({@code written}, as counted before the write) by dynamic overwrite, and the partitions of the scope
   * it no longer holds are deleted. Partitions outside the scope are left alone. For a full rebuild pass
   * {@link #listPartitions} as the scope.
   */
  public static void replacePartitions(Dataset<Row> rows, String path, List<String> partitionColumns,
      Collection<String> written, Collection<String> scope, Configuration hadoopConf) {
    if (!written.isEmpty()) {
      overwritePartitions(rows, path, partitionColumns);
    }
    java.util.Set<String> emptied = new java.util.TreeSet<>(scope);
    emptied.removeAll(written);
    deletePartitions(hadoopConf, path, emptied);
  }

  /**
   * The partitions under {@code path}, {@code depth} folder levels of {@code name=value} deep
   * ({@code year=2025/month=1/day=2} for depth 3); empty when the path does not exist. One LIST per
   * folder visited.
   */
  public static java.util.SortedSet<String> listPartitions(Configuration hadoopConf, String path, int depth) {
    java.util.SortedSet<String> found = new java.util.TreeSet<>();
    Path dir = new Path(path);
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      if (fs.exists(dir)) {
        collect(fs, dir, "", depth, found);
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list partitions of " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void collect(FileSystem fs, Path dir, String prefix, int depth, java.util.Set<String> found)
      throws IOException {
    for (org.apache.hadoop.fs.FileStatus child : fs.listStatus(dir)) {
      String name = child.getPath().getName();
      if (!child.isDirectory() || !name.contains("=") || name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      String partition = prefix.isEmpty() ? name : prefix + "/" + name;
      if (depth == 1) {
        found.add(partition);
      } else {
        collect(fs, child.getPath(), partition, depth - 1, found);
      }
    }
  }

  /**
   * Replaces an unpartitioned dataset as a whole: written to a staging folder next to it, then swapped
   * in ({@link #swapIn}). Meant for small tables (dimensions, summaries).
   */
  public static void replaceWhole(Dataset<Row> rows, String path, String runId, Configuration hadoopConf) {
    removeStaleStaging(hadoopConf, path, runId);
    String staging = stagingPath(path, runId);
    rows.write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(staging);
    swapIn(staging, path, hadoopConf);
  }

  /**
   * Removes what killed runs left while writing {@code path}: Spark's {@code _temporary} and
   * {@code .spark-staging-*} folders inside it, and {@link #stagingPath staging folders} of other runs next
   * to it. Readers skip them (hidden names), but they hold whole copies of data. Safe because the writer
   * of a dataset is one job, and that job's lock keeps a second run from writing at the same time: what is
   * there before this run writes belongs to no live run. Cost: a LIST of the folder and of its parent.
   *
   * @param runId this run's id (its own staging folder is kept), or null
   */
  public static void removeStaleStaging(Configuration hadoopConf, String path, String runId) {
    Path target = new Path(path);
    String ownStaging = runId == null ? null : new Path(stagingPath(path, runId)).getName();
    String stagingPrefix = "_staging-" + target.getName() + "-";
    try {
      FileSystem fs = target.getFileSystem(hadoopConf);
      List<Path> stale = new java.util.ArrayList<>();
      if (fs.isDirectory(target)) {
        for (org.apache.hadoop.fs.FileStatus child : fs.listStatus(target)) {
          String name = child.getPath().getName();
          if (name.equals("_temporary") || name.startsWith(".spark-staging-")) {
            stale.add(child.getPath());
          }
        }
      }
      if (target.getParent() != null && fs.isDirectory(target.getParent())) {
        for (org.apache.hadoop.fs.FileStatus sibling : fs.listStatus(target.getParent())) {
          String name = sibling.getPath().getName();
          if (name.startsWith(stagingPrefix) && !name.equals(ownStaging)
              && RUN_ID_SUFFIX.matcher(name.substring(stagingPrefix.length())).matches()) {
            stale.add(sibling.getPath());
          }
        }
      }
      for (Path leftover : stale) {
        if (leftover.getName().startsWith(".spark-staging-") && fs.exists(new Path(leftover, "_SUCCESS"))) {
          finishPartitionMoves(fs, leftover, target);
        }
        LOG.info("Removing {}, left by a run that did not finish writing {}", leftover, target);
        fs.delete(leftover, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean up earlier staging of " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Completes the partition moves of a dynamic-overwrite commit that a killed run began. Spark commits
   * such a write in two steps: the task outputs are merged into {@code .spark-staging-<job>/} and marked
   * with {@code _SUCCESS} there; then, partition by partition, the old partition folder is deleted and
   * the staged one renamed into place. A run killed in the second step (seconds long on S3, where a
   * rename copies every object) leaves some partitions moved, one perhaps half deleted or half moved,
   * and the rest only in staging. Deleting that staging would lose rows for good when the new content
   * carried old rows (the transaction job and the quarantine merge what a partition held), because the
   * old partition is already gone. So the moves are finished instead: in every partition still staged,
   * files of another write (old content) are deleted, files of this write already moved are kept, and
   * the staged files are moved in. The rerun (its state was not committed) then rewrites the same
   * partitions from the same input, over a complete lake. Spark names a write's files after the same job
   * id as its staging folder ({@code part-00000-<job>.c000...}), which tells the two apart.
   * Cost: a listing of the staging folder and of each staged partition, and one rename per staged file.
   */
  private static void finishPartitionMoves(FileSystem fs, Path staging, Path target) throws IOException {
    String job = staging.getName().substring(".spark-staging-".length());
    java.util.Map<Path, List<Path>> staged = new java.util.LinkedHashMap<>();
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(staging, true);
    String stagingRoot = staging.toUri().getPath();
    while (files.hasNext()) {
      Path file = files.next().getPath();
      String relative = file.toUri().getPath().substring(stagingRoot.length() + 1);
      if (relative.startsWith("_") || relative.startsWith(".") || hidden(file.getName())) {
        continue; // _SUCCESS, _temporary/, checksum files (moved with their file): not data of a partition
      }
      staged.computeIfAbsent(file.getParent(), k -> new java.util.ArrayList<>()).add(file);
    }
    for (java.util.Map.Entry<Path, List<Path>> partition : staged.entrySet()) {
      String relative = partition.getKey().toUri().getPath().substring(stagingRoot.length() + 1);
      Path destination = new Path(target, relative);
      if (fs.exists(destination)) {
        for (org.apache.hadoop.fs.FileStatus present : fs.listStatus(destination)) {
          String name = present.getPath().getName();
          if (present.isFile() && !hidden(name) && !name.contains(job)) {
            fs.delete(present.getPath(), false);
          }
        }
      } else {
        fs.mkdirs(destination);
      }
      for (Path file : partition.getValue()) {
        if (!fs.rename(file, new Path(destination, file.getName()))) {
          throw new IOException("rename of " + file + " into " + destination + " failed");
        }
      }
      LOG.warn("Finished moving {} into place: a run was killed while committing it to {}", relative, target);
    }
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /** A folder next to {@code path}, hidden from readers of its parent (its name starts with {@code _}). */
  public static String stagingPath(String path, String runId) {
    Path target = new Path(path);
    return new Path(target.getParent(), "_staging-" + target.getName() + "-" + runId).toString();
  }

  /**
   * Moves a fully written {@code staging} folder to {@code path}, replacing what was there (delete, then
   * rename): readers see the old or the new data except for the instant of the swap, never a
   * half-written one. On S3 the rename is a copy of every object.
   */
  public static void swapIn(String staging, String path, Configuration hadoopConf) {
    Path target = new Path(path);
    Path source = new Path(staging);
    try {
      FileSystem fs = target.getFileSystem(hadoopConf);
      fs.delete(target, true);
      fs.mkdirs(target.getParent());
      if (!fs.rename(source, target)) {
        throw new IOException("rename of " + source + " to " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot replace " + target + ": " + e.getMessage(), e);
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

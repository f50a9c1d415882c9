package io.shoplake.common.io;

import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.Footer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFooterReader;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.HadoopFSUtils;

/**
 * Reads a Parquet dataset of the lake as {@code spark.read().parquet(path)} does, with the schema Spark
 * would infer, but inferred here on the driver.
 *
 * <p>Why: without a schema, Spark infers it by reading one file's footer in a Spark job of its own (it
 * does not merge schemas by default, so one footer is all it reads). On a small run that job is about
 * 0.1 s of scheduling for a few kilobytes, and the pipeline reads some twenty datasets that way. Here
 * the same footer is read on the driver and turned into a schema by Spark's own conversion
 * ({@link ParquetFileFormat#readSchemaFromFooter}, with the session's Parquet settings, as Spark's
 * inference calls it), so the schema is the one Spark would have inferred from that file, and the
 * partition columns are still discovered from the folders as before.
 *
 * <p>Cost: a LIST per folder level down to the first data file (the partitioned datasets are 3 levels
 * deep: 4 LISTs), and a read of that file's footer. When there is no visible data file or its footer
 * cannot be read, the read is left to Spark as is, so every error (no such path, not a Parquet file)
 * stays Spark's.
 */
public final class ParquetRead {
  private ParquetRead() {}

  /** The dataset at {@code path}, as {@code spark.read().parquet(path)} reads it. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    if (spark.sessionState().conf().isParquetSchemaMergingEnabled()) {
      return spark.read().parquet(path); // Spark then reads every footer, not one: its own inference
    }
    Configuration hadoopConf = spark.sessionState().newHadoopConf();
    return schema(spark, hadoopConf, path)
        .map(schema -> spark.read().schema(schema).parquet(path))
        .orElseGet(() -> spark.read().parquet(path));
  }

  /**
   * The schema Spark infers for the data files of {@code path} (without the partition columns), read from
   * the footer of its first visible data file; empty when there is none or it cannot be read.
   */
  static Optional<StructType> schema(SparkSession spark, Configuration hadoopConf, String path) {
    try {
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(hadoopConf);
      Optional<FileStatus> file = firstDataFile(fs, root);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      Footer footer = new Footer(file.get().getPath(),
          ParquetFooterReader.readFooter(hadoopConf, file.get(), ParquetMetadataConverter.SKIP_ROW_GROUPS));
      return Optional.of(ParquetFileFormat.readSchemaFromFooter(footer,
          new ParquetToSparkSchemaConverter(spark.sessionState().conf())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // Spark's own inference reports it
    }
  }

  /**
   * The first file under {@code dir} that Spark's file listing would read: depth first, skipping every
   * file and folder whose name Spark treats as hidden ({@code _temporary}, {@code .spark-staging-*},
   * {@code _SUCCESS}, ...). Spark picks the first file of its own listing; files of one dataset written by
   * these jobs share one schema, so which one is read does not matter.
   */
  private static Optional<FileStatus> firstDataFile(FileSystem fs, Path dir) throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    for (FileStatus child : children) {
      if (!child.isDirectory() && !HadoopFSUtils.shouldFilterOutPathName(child.getPath().getName())) {
        return Optional.of(child);
      }
    }
    for (FileStatus child : children) {
      if (child.isDirectory() && !HadoopFSUtils.shouldFilterOutPathName(child.getPath().getName())) {
        Optional<FileStatus> found = firstDataFile(fs, child.getPath());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}

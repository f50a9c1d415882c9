package io.shoplake.bench;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.SparkSession;

/**
 * The floor the sample pipeline is measured against: the least a real Spark job does (a JVM started by
 * the same spark-submit, a local session, one small CSV read, a group-and-count, a Parquet write, stop).
 * Whatever the pipeline takes beyond a small multiple of this is our own per-job and per-action cost,
 * not Spark's.
 *
 * <p>Usage (through {@code scripts/run-job.sh}'s launcher, see scripts/bench.sh):
 * {@code MinimalSparkJob <csv-file-or-folder> <out-dir>}.
 */
public final class MinimalSparkJob {
  private MinimalSparkJob() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: MinimalSparkJob <csv> <out-dir>");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("minimal-spark-job").getOrCreate();
    try {
      var counts = spark.read().option("header", "true").csv(args[0]).groupBy(col("currency")).count();
      counts.write().mode("overwrite").parquet(args[1]);
    } finally {
      spark.stop();
    }
  }
}

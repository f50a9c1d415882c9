package io.shoplake.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's own floor for the transaction benchmark's input: the same CSV files read by Spark's CSV reader,
 * the numbers and the timestamp cast, the day derived, and the rows written as Parquet partitioned by
 * year/month/day (sorted by partition within each task, as our write does). No rules, no quarantine, no
 * deduplication, no FX, no hash, no cache, no row accounting: what any Spark job pays to turn these files
 * into that layout. Set beside our job and DuckDB, it tells how much of the gap is the engine and how much
 * is our work.
 *
 * <p>Usage (through scripts/bench.sh): {@code SparkCsvFloor <raw/transactions folder> <out-dir>}.
 */
public final class SparkCsvFloor {
  private SparkCsvFloor() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SparkCsvFloor <raw transactions folder> <out-dir>");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("spark-csv-floor").getOrCreate();
    try {
      Dataset<Row> typed = spark.read().option("header", "true").csv(args[0] + "/date=*/*.csv")
          .withColumn("quantity", col("quantity").cast("int"))
          .withColumn("unit_price", col("unit_price").cast("decimal(12,2)"))
          .withColumn("discount_amount", col("discount_amount").cast("decimal(12,2)"))
          .withColumn("tax_amount", col("tax_amount").cast("decimal(12,2)"))
          .withColumn("transaction_ts", col("transaction_ts").cast("timestamp"))
          .withColumn("year", year(col("transaction_ts")))
          .withColumn("month", month(col("transaction_ts")))
          .withColumn("day", dayofmonth(col("transaction_ts")));
      typed.sortWithinPartitions("year", "month", "day").write().mode("overwrite")
          .partitionBy("year", "month", "day").parquet(args[1]);
    } finally {
      spark.stop();
    }
  }
}

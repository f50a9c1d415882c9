package io.shoplake.common.spark;

import io.shoplake.common.config.LakeConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds (or joins) the session a job runs in. On Glue and under spark-submit the master and
 * resources come from the launcher; a bare {@code java} run falls back to {@code local[*]}.
 *
 * <p>The SQL settings every job relies on are set on the session, whether new or shared (tests, the
 * local pipeline): UTC session time zone (the lake's dates and hours are UTC), non-ANSI casts (rules
 * detect bad values before any cast), Snappy Parquet with microsecond timestamps (read alike by
 * Athena, Spark and DuckDB), and no CSV parser column pruning: with pruning, whether a line with
 * too many fields is malformed depends on which columns a query reads, so two queries over the same
 * file could count it differently (found by the run manifest's row accounting). Then the environment's
 * {@code shoplake.spark.sql-settings} (conf/local.conf's are for one machine and small inputs), except a
 * key the launcher set itself.
 */
public final class SparkSessions {
  private static final String FILE_IMPL = "spark.hadoop.fs.file.impl";

  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName, LakeConfig config) {
    SparkSession.Builder builder = withForklessLocalFiles(SparkSession.builder().appName(appName));
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    applyJobSettings(spark, config);
    return spark;
  }

  /**
   * {@code builder}, with {@link ForklessLocalFileSystem} as the {@code file://} file system in local mode
   * when Hadoop's native library is missing and no {@code spark.hadoop.fs.file.impl} was given. Set on
   * the builder, before the context exists, because Hadoop caches a file system per scheme at its first
   * use: set later, it would not replace the instance already cached. Local mode only: executors of a
   * cluster would have to load the class before the application's jar reaches them.
   */
  public static SparkSession.Builder withForklessLocalFiles(SparkSession.Builder builder) {
    SparkConf launched = new SparkConf();
    if (ForklessLocalFileSystem.worthInstalling() && launched.get("spark.master", "local").startsWith("local")
        && !launched.contains(FILE_IMPL)) {
      builder.config(FILE_IMPL, ForklessLocalFileSystem.class.getName());
    }
    return builder;
  }

  public static void applyJobSettings(SparkSession spark, LakeConfig config) {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().set("spark.sql.ansi.enabled", "false");
    spark.conf().set("spark.sql.parquet.compression.codec", "snappy");
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    spark.conf().set("spark.sql.csv.parser.columnPruning.enabled", "false");
    if (config.shufflePartitions() > 0) {
      spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(config.shufflePartitions()));
    }
    // The environment's settings, unless the launcher gave the same key (spark-submit --conf wins).
    SparkConf launched = spark.sparkContext().getConf();
    config.sparkSqlSettings().forEach((key, value) -> {
      if (!launched.contains(key)) {
        spark.conf().set(key, value);
      }
    });
  }
}

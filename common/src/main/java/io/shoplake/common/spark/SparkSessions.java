package io.shoplake.common.spark;

import io.shoplake.common.config.LakeConfig;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Builds (or joins) the session a job runs in. On Glue and under spark-submit the master and
 * resources come from the launcher; a bare {@code java} run falls back to {@code local[*]}.
 *
 * <p>The SQL settings every job relies on are set on the session, whether new or shared (tests, the
 * local pipeline): UTC session time zone (the lake's dates and hours are UTC), non-ANSI casts (rules
 * detect bad values before any cast), Snappy Parquet with microsecond timestamps (read alike by
 * Athena, Spark and DuckDB), and no CSV parser column pruning: with pruning, whether a line with
 * too many fields is malformed depends on which columns a query reads, so two queries over the same
 * file could count it differently (found by the run manifest's row accounting), and no Parquet dictionary
 * for the columns of {@code shoplake.lake.parquet-plain-columns} (ids, times, amounts). Then the environment's
 * {@code shoplake.spark.sql-settings} (conf/local.conf's are for one machine and small inputs), except a
 * key the launcher set itself. A new session also gets the cache format of {@code shoplake.spark.cache-format}
 * ({@link #cacheSerializer}) and {@code shoplake.spark.launch-settings} ({@link #launchSettings}).
 */
public final class SparkSessions {
  private static final String FILE_IMPL = "spark.hadoop.fs.file.impl";

  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName, LakeConfig config) {
    SparkSession.Builder builder = withForklessLocalFiles(SparkSession.builder().appName(appName));
    SparkConf launched = new SparkConf();
    newSessionSettings(config, launched).forEach(builder::config);
    if (!launched.contains("spark.master")) {
      builder.master("local[*]");
    }
    ReflectionWarmUp.start();
    SparkSession spark = builder.getOrCreate();
    applyJobSettings(spark, config);
    return spark;
  }

  /**
   * The static settings a session created for {@code config} gets, beside what {@code launched} (the launcher's
   * configuration) already has: the cache serializer ({@link #cacheSerializer}) and the launch settings
   * ({@link #launchSettings}). The jobs' sessions and the tests' shared one take them from here.
   */
  public static Map<String, String> newSessionSettings(LakeConfig config, SparkConf launched) {
    Map<String, String> settings = launchSettings(config.sparkLaunchSettings(), launched);
    cacheSerializer(config.cacheFormat(), launched).ifPresent(name -> settings.put(CACHE_SERIALIZER, name));
    return settings;
  }

  /** Spark's static setting of the class that stores cached Datasets. */
  public static final String CACHE_SERIALIZER = "spark.sql.cache.serializer";

  /**
   * The cache serializer a new session gets for {@code shoplake.spark.cache-format}: {@link RowCacheSerializer}
   * for {@code rows}, none (Spark's columnar default) for {@code columns}, and none when the launcher set
   * {@link #CACHE_SERIALIZER} itself. Static in Spark: it takes effect only on a session this JVM creates, and the
   * first cache of the JVM fixes it, so a session that already exists keeps what it has.
   */
  static Optional<String> cacheSerializer(String cacheFormat, SparkConf launched) {
    return cacheFormat.equals("rows") && !launched.contains(CACHE_SERIALIZER)
        ? Optional.of(RowCacheSerializer.class.getName()) : Optional.empty();
  }

  /**
   * The {@code shoplake.spark.launch-settings} a new session gets: those the launcher did not set itself. Like the
   * cache serializer, they are static in Spark, so a session that already exists keeps what it has.
   */
  static Map<String, String> launchSettings(Map<String, String> configured, SparkConf launched) {
    Map<String, String> settings = new TreeMap<>(configured);
    settings.keySet().removeIf(launched::contains);
    return settings;
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

  /**
   * Lowers {@code spark.sql.shuffle.partitions} to what a run reading {@code inputBytes} needs: one partition
   * per {@code shoplake.spark.shuffle-partition-bytes} of input, at least 1, at most the configured
   * {@code shoplake.spark.shuffle-partitions}. Without adaptive execution (conf/local.conf turns it off) a
   * fixed count runs every shuffle of a 300-row input as that many near-empty tasks, each with its own
   * scheduling and cold code. Applies to the plans built after it, so a job calls it once it knows its
   * input and before it stages anything; {@link #applyJobSettings} restores the configured count for the
   * next job of a shared session. Does nothing when either setting is 0 (Glue: AQE coalesces).
   *
   * @return the count now in force, or 0 when the sizing is off
   */
  public static int sizeShuffles(SparkSession spark, LakeConfig config, long inputBytes) {
    int partitions = shufflePartitionsFor(config.shufflePartitions(), config.shufflePartitionBytes(), inputBytes);
    if (partitions > 0) {
      spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(partitions));
    }
    return partitions;
  }

  /** The settings {@link #interpretSmallInput} changes, restored by {@link #applyJobSettings}. */
  static final List<String> CODEGEN_KEYS = List.of(
      "spark.sql.codegen.wholeStage", "spark.sql.codegen.factoryMode");

  /**
   * Turns code generation off for a run that reads less than {@code shoplake.spark.codegen-min-input-bytes}
   * of raw input ({@code inputBytes}: JobContext counts a Parquet read at the raw size of its rows): no
   * whole-stage code and expressions evaluated by Spark's interpreted projections, predicates and
   * orderings ({@code spark.sql.codegen.factoryMode = NO_CODEGEN}). A cold JVM spends most of a small
   * run compiling: Janino for every plan's generated classes, then the JIT for those classes, on the
   * same cores as the tasks; interpreted, a plan costs its rows, which on a small input are few. Both
   * settings are needed: without whole-stage code but with expression code, each expression is compiled
   * apart, which measured slower. {@code factoryMode} is an internal Spark setting (SparkSessionsTest fails
   * if an upgrade stops honouring it). Applies to the plans built afterwards, like {@link #sizeShuffles};
   * {@link #applyJobSettings} restores code generation for the next job. When the setting is 0 (always
   * generate: dev, staging, prod) or the input is at least that large, restores code generation as
   * launched, in case an earlier, smaller input of the same job turned it off.
   *
   * @return whether this run is interpreted
   */
  public static boolean interpretSmallInput(SparkSession spark, LakeConfig config, long inputBytes) {
    if (!underThreshold(config.codegenMinInputBytes(), inputBytes)) {
      restoreCodegen(spark); // a job sizing several inputs (quality) may have interpreted a smaller one
      return false;
    }
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    return true;
  }

  /** Code generation as launched, or Spark's default: {@link #CODEGEN_KEYS} back to the launcher's values. */
  private static void restoreCodegen(SparkSession spark) {
    SparkConf launched = spark.sparkContext().getConf();
    for (String key : CODEGEN_KEYS) {
      if (launched.contains(key)) {
        spark.conf().set(key, launched.get(key));
      } else {
        spark.conf().unset(key);
      }
    }
  }

  /**
   * Whether a run reading {@code inputBytes} is under a {@code minInputBytes} threshold of the input-size settings
   * ({@code codegen-min-input-bytes}, {@code c2-min-input-bytes}); 0 is no threshold, never under.
   */
  public static boolean underThreshold(long minInputBytes, long inputBytes) {
    return minInputBytes > 0 && inputBytes < minInputBytes;
  }

  /**
   * {@code ceil(inputBytes / bytesPerPartition)} clamped to {@code [1, maxPartitions]}; 0 when either setting
   * is 0 (no sizing).
   */
  public static int shufflePartitionsFor(int maxPartitions, long bytesPerPartition, long inputBytes) {
    if (maxPartitions <= 0 || bytesPerPartition <= 0) {
      return 0;
    }
    long needed = Math.max(1, (Math.max(0, inputBytes) + bytesPerPartition - 1) / bytesPerPartition);
    return (int) Math.min(maxPartitions, needed);
  }

  /**
   * The bytes of the files {@code frame} reads, from its optimised plan's statistics: for a file source
   * that is the size of the files its index listed when it was created (no IO); for other plans, Spark's
   * estimate. Cost: analysing and optimising the plan once (kept on the frame).
   */
  public static long fileBytes(Dataset<?> frame) {
    return frame.queryExecution().optimizedPlan().stats().sizeInBytes().bigInteger()
        .min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }

  /** Parquet's per-column switch of its dictionary ({@code parquet.enable.dictionary#<column path>}). */
  static final String DICTIONARY_KEY_PREFIX = "parquet.enable.dictionary#";

  /**
   * Turns Parquet's dictionary off for {@code columns} in every later write of the session, and back on for
   * columns an earlier job of a shared session listed and these settings do not. Set as session settings,
   * which Spark copies into the Hadoop configuration of each write; a column a write does not have is
   * ignored by Parquet. What it saves: per file and column, a dictionary built value by value (a hash probe
   * each) and mostly dropped at 1 MB; what it costs: nothing where the dictionary would have been dropped,
   * and a few percent of those columns' size where it would have been kept (docs/BENCHMARKS.md).
   */
  static void plainParquetColumns(SparkSession spark, List<String> columns) {
    Set<String> keys = new HashSet<>();
    columns.forEach(c -> keys.add(DICTIONARY_KEY_PREFIX + c));
    JavaConverters.mapAsJavaMap(spark.conf().getAll()).keySet().stream()
        .filter(k -> k.startsWith(DICTIONARY_KEY_PREFIX) && !keys.contains(k)).toList()
        .forEach(k -> spark.conf().unset(k));
    keys.forEach(k -> spark.conf().set(k, "false"));
  }

  public static void applyJobSettings(SparkSession spark, LakeConfig config) {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().set("spark.sql.ansi.enabled", "false");
    spark.conf().set("spark.sql.parquet.compression.codec", "snappy");
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // A time before 1900 (a sentinel such as 0001-01-01T00:00:00Z, Excel's 1899-12-30) is valid by the contract,
    // but Spark refuses by default to write it to Parquet ("WRITE_ANCIENT_DATETIME", for readers of Spark 2 and
    // Hive 2's calendar), and the whole job failed on every rerun. Written as it is, in the calendar Athena,
    // Trino, DuckDB and Spark 3 read.
    spark.conf().set("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED");
    spark.conf().set("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED");
    spark.conf().set("spark.sql.csv.parser.columnPruning.enabled", "false");
    if (config.shufflePartitions() > 0) {
      spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(config.shufflePartitions()));
    }
    plainParquetColumns(spark, config.parquetPlainColumns());
    SparkConf launched = spark.sparkContext().getConf();
    restoreCodegen(spark); // after a previous job of the session interpreted
    GeneratedCodeJit.c1Only(false); // after a previous job of the JVM kept C2 off; fitToInput decides again
    // The environment's settings, unless the launcher gave the same key (spark-submit --conf wins).
    config.sparkSqlSettings().forEach((key, value) -> {
      if (!launched.contains(key)) {
        spark.conf().set(key, value);
      }
    });
  }
}

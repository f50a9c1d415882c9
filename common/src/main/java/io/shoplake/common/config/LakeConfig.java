package io.shoplake.common.config;

/**
 * The typed configuration of a run, read once from HOCON by {@link ConfigLoader}. Jobs and
 * transformations receive these values, never the raw config tree.
 *
 * @param project project name, used in resource names
 * @param environment local, dev, staging or prod
 * @param lakeRoot root URI of the lake, as configured or given by {@code --lake-root}
 * @param parquetPlainColumns the column names written to Parquet without a dictionary, in every dataset
 * @param shufflePartitions spark.sql.shuffle.partitions for the session, or 0 to keep Spark's
 * @param shufflePartitionBytes with a positive {@code shufflePartitions}, the input bytes per shuffle partition
 *     each run sizes its shuffles by (at most {@code shufflePartitions}), or 0 for a fixed count
 * @param codegenMinInputBytes the smallest input a run generates code for: a run that reads less evaluates
 *     its plans interpreted; 0 always generates code (Spark's default)
 * @param c2MinInputBytes the smallest input whose generated stage code the JVM's optimising compiler (C2) may
 *     compile: for a run that reads less, C1 compiles it without profiling; 0 leaves it to the JVM
 * @param cacheFormat how Spark keeps the jobs' caches: {@code rows} (Spark's binary rows, {@code RowCacheSerializer})
 *     or {@code columns} (Spark's default columnar cache)
 * @param sparkSqlSettings further {@code spark.sql.*} settings of the environment's sessions (conf/local.conf
 *     sets those for small inputs on one machine; none elsewhere)
 * @param sparkLaunchSettings Spark settings a job sets on the session it creates (static ones, which a running
 *     session cannot take), except those the launcher set
 * @param aws region and endpoint override of AWS API calls
 * @param pii where the e-mail hashing key comes from
 * @param transactions settings of the transaction ETL job
 * @param products settings of product enrichment
 * @param reviews settings of the reviews job
 * @param clickstream settings of sessionization
 * @param export settings of parquet-to-json
 * @param stgCore the shop database read by jdbc-extract
 * @param validate limits of the file validation step
 * @param lockLease how long a job's lock in {@code _state/<job>/} holds without being renewed: the running job
 *     renews it every third of this, so a run that died stops blocking its job after at most this long
 * @param quality the {@code shoplake.quality} settings, as HOCON: the checks are the quality package's
 *     types, parsed (strictly) there by {@code QualityConfig}, so config does not depend on the engine
 * @param pipelineRetry how the local pipeline retries a step that failed for a transient reason
 * @param pipelineParallelSteps how many steps of one stage the local pipeline runs side by side (1: one after
 *     another)
 * @param pipelineParallelMaxInputBytes the local pipeline runs steps side by side only while the raw zone holds
 *     less than this (0: whatever its size)
 */
public record LakeConfig(
    String project,
    String environment,
    String lakeRoot,
    java.util.List<String> parquetPlainColumns,
    int shufflePartitions,
    long shufflePartitionBytes,
    long codegenMinInputBytes,
    long c2MinInputBytes,
    String cacheFormat,
    java.util.Map<String, String> sparkSqlSettings,
    java.util.Map<String, String> sparkLaunchSettings,
    Aws aws,
    Pii pii,
    Transactions transactions,
    Products products,
    Reviews reviews,
    Clickstream clickstream,
    Export export,
    StgCore stgCore,
    Validate validate,
    java.time.Duration lockLease,
    com.typesafe.config.Config quality,
    Backoff pipelineRetry,
    int pipelineParallelSteps,
    long pipelineParallelMaxInputBytes) {
  /** The values of {@code shoplake.spark.cache-format}. */
  public static final java.util.List<String> CACHE_FORMATS = java.util.List.of("rows", "columns");

  /**
   * @param region AWS region, or empty for the SDK's default
   * @param secretsManagerEndpoint endpoint override, or empty
   * @param s3Endpoint endpoint of an S3-compatible server for s3a, or empty
   * @param s3PathStyleAccess auto, true or false
   */
  public record Aws(String region, String secretsManagerEndpoint, String s3Endpoint, String s3PathStyleAccess) {
    public static final java.util.List<String> PATH_STYLE_CHOICES = java.util.List.of("auto", "true", "false");

    /** Without S3 settings: the region and the Secrets Manager endpoint only. */
    public Aws(String region, String secretsManagerEndpoint) {
      this(region, secretsManagerEndpoint, "", "auto");
    }
  }

  /**
   * @param hashKeyEnv environment variable holding the key
   * @param hashKeySecretId AWS Secrets Manager secret id, or empty
   * @param allowDevelopmentKey in env=local only, fall back to a labelled development key
   */
  public record Pii(String hashKeyEnv, String hashKeySecretId, boolean allowDevelopmentKey) {}

  /**
   * @param dataset raw and processed dataset name
   * @param fxRatesDataset raw dataset of FX rates
   * @param persistLevel Spark storage level name for the classified rows, or NONE
   * @param source where the rows come from: {@code csv} (the raw zone) or {@code jdbc} (stg_core's
   *     orders and order_items)
   * @param diskOnlyMinInputBytes the smallest CSV input whose classified rows are cached on disk only instead
   *     of at {@code persistLevel} (0: never; see {@link #cacheLevel})
   */
  public record Transactions(String dataset, String fxRatesDataset, String persistLevel, String source,
      long diskOnlyMinInputBytes) {
    public static final java.util.List<String> SOURCES = java.util.List.of("csv", "jdbc");

    /**
     * The storage level of the classified rows of a run reading {@code inputBytes} of CSV: {@code DISK_ONLY}
     * from {@code diskOnlyMinInputBytes} on, else {@code persistLevel}. Why: rows cached as Spark's binary rows
     * take about 6 times their CSV's size (687 MB for 115 MB), so a large input's cache cannot fit the
     * driver's memory, and a {@code MEMORY_AND_DISK} cache that does not fit spills its blocks and tries to
     * keep them in memory again as they are read back, and one that fits fills the old generation the collector
     * copies; on disk only, each block is written once. Measured with a 4 GB driver: 10M rows (1.15 GB) 12% and
     * 3M rows (361 MB) 5% faster on disk only, 2M rows (241 MB) as fast or slower, 1M rows (115 MB) 5% slower
     * (docs/BENCHMARKS.md, rounds 31 and 32). {@code NONE} stays {@code NONE}.
     */
    public String cacheLevel(long inputBytes) {
      return diskOnlyMinInputBytes > 0 && inputBytes >= diskOnlyMinInputBytes && !persistLevel.equals("NONE")
          ? "DISK_ONLY" : persistLevel;
    }

    public boolean fromStgCore() {
      return source.equals("jdbc");
    }
  }

  /**
   * @param dataset raw and processed dataset name
   * @param categoriesDataset raw dataset of categories
   * @param salesWindowDays the trailing window of days_of_supply
   */
  public record Products(String dataset, String categoriesDataset, int salesWindowDays) {}

  /** @param dataset raw and processed dataset name */
  public record Reviews(String dataset) {}

  /**
   * @param dataset raw dataset name
   * @param inactivityGap a longer pause starts a new session
   * @param maxSessionLength a session never lasts longer (from its first event)
   * @param botUserAgentPatterns case-insensitive substrings of bot user agents
   * @param persistLevel Spark storage level name of the events' two caches (staged, then sessionized)
   */
  public record Clickstream(String dataset, java.time.Duration inactivityGap, java.time.Duration maxSessionLength,
      java.util.List<String> botUserAgentPatterns, String persistLevel) {}

  /**
   * @param compression none or gzip
   * @param pipelineTables the curated tables the local pipeline exports
   */
  public record Export(String compression, java.util.List<String> pipelineTables) {}

  /**
   * @param jdbcUrl JDBC URL, or empty (then STG_CORE_JDBC_URL must be set)
   * @param user database user, or empty (then STG_CORE_USER must be set)
   * @param passwordSecretId Secrets Manager secret id of the password, or empty
   * @param tables tables to extract
   * @param parallelTables tables read in id ranges
   * @param partitions ranges per parallel table
   * @param fetchSize rows per round trip
   * @param retry how connection failures are retried
   */
  public record StgCore(String jdbcUrl, String user, String passwordSecretId, java.util.List<String> tables,
      java.util.List<String> parallelTables, int partitions, int fetchSize, Backoff retry) {}

  /**
   * @param maxFileBytes a raw file larger than this is rejected without being read
   * @param maxMalformedLineRatio share of non-object lines above which a JSON Lines file is rejected whole
   */
  /**
   * @param maxFileBytes a raw file larger than this is rejected unread
   * @param maxMalformedLineRatio a JSON Lines file with a larger share of lines that are not one object is rejected whole
   * @param futureTolerance an event time later than the run's start plus this is quarantined (clock skew allowance)
   */
  public record Validate(long maxFileBytes, double maxMalformedLineRatio, java.time.Duration futureTolerance) {

    /** The latest event time a run started at {@code runStart} accepts. */
    public java.time.Instant latestAcceptedTime(java.time.Instant runStart) {
      return runStart.plus(futureTolerance);
    }
  }

  /** A resource name following {@code {env}-{project}-{resource}}. */
  public String resourceName(String resource) {
    return environment + "-" + project + "-" + resource;
  }
}

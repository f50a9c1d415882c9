package io.shoplake.common.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {
  private static final long MIB = 1024L * 1024;

  @TempDir Path dir;

  @Test
  void aNewSessionKeepsItsCachesAsRowsUnlessColumnsOrTheLauncherSaySo() {
    SparkConf launched = new SparkConf(false);
    assertEquals(Optional.of(RowCacheSerializer.class.getName()), SparkSessions.cacheSerializer("rows", launched));
    assertEquals(Optional.empty(), SparkSessions.cacheSerializer("columns", launched));
    launched.set(SparkSessions.CACHE_SERIALIZER, "org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer");
    assertEquals(Optional.empty(), SparkSessions.cacheSerializer("rows", launched));
  }

  @Test
  void aNewSessionTakesTheLaunchSettingsTheLauncherDidNotSet() {
    Map<String, String> configured = Map.of("spark.serializer.objectStreamReset", "1", "spark.x", "y");
    SparkConf launched = new SparkConf(false);
    assertEquals(configured, SparkSessions.launchSettings(configured, launched));
    launched.set("spark.serializer.objectStreamReset", "50");
    assertEquals(Map.of("spark.x", "y"), SparkSessions.launchSettings(configured, launched));
  }

  @Test
  void aNewSessionGetsTheCacheFormatAndLaunchSettingsOfItsConfiguration() {
    LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", "local"));
    SparkConf launched = new SparkConf(false);
    assertEquals(Map.of(SparkSessions.CACHE_SERIALIZER, RowCacheSerializer.class.getName(),
        "spark.serializer.objectStreamReset", "1"), SparkSessions.newSessionSettings(config, launched));
    launched.set(SparkSessions.CACHE_SERIALIZER, "x").set("spark.serializer.objectStreamReset", "100");
    assertEquals(Map.of(), SparkSessions.newSessionSettings(config, launched));
  }

  @Test
  void theTestsSessionHasTheJobsLaunchSettings() {
    SparkConf conf = SharedSpark.get().sparkContext().getConf();
    assertEquals("1", conf.get("spark.serializer.objectStreamReset"));
    assertEquals(RowCacheSerializer.class.getName(), conf.get(SparkSessions.CACHE_SERIALIZER));
  }

  @Test
  void shufflePartitionsFollowTheInputUpToTheConfiguredCount() {
    assertEquals(1, SparkSessions.shufflePartitionsFor(8, 64 * MIB, 0), "an empty input still needs one partition");
    assertEquals(1, SparkSessions.shufflePartitionsFor(8, 64 * MIB, 35_000));
    assertEquals(1, SparkSessions.shufflePartitionsFor(8, 64 * MIB, 64 * MIB));
    assertEquals(2, SparkSessions.shufflePartitionsFor(8, 64 * MIB, 64 * MIB + 1));
    assertEquals(8, SparkSessions.shufflePartitionsFor(8, 64 * MIB, 1_150_000_000L), "never above the configured count");
    assertEquals(8, SparkSessions.shufflePartitionsFor(8, 1, Long.MAX_VALUE), "no overflow");
  }

  @Test
  void withEitherSettingAtZeroTheCountIsLeftAlone() {
    assertEquals(0, SparkSessions.shufflePartitionsFor(0, 64 * MIB, 10));
    assertEquals(0, SparkSessions.shufflePartitionsFor(8, 0, 10));
  }

  @Test
  void aJobSizesItsShufflesAndTheNextJobStartsFromTheConfiguredCount() throws Exception {
    SparkSession spark = SharedSpark.get();
    // As conf/local.conf runs: without AQE, whose coalescing would hide the count. The shuffle partitions are set
    // to their own value so that they are given back after the sizing below changed them.
    SharedSpark.withSettings(Map.of("spark.sql.shuffle.partitions", spark.conf().get("spark.sql.shuffle.partitions"),
        SharedSpark.ADAPTIVE, "false"), () -> {
          LakeConfig config = load(
              "shoplake.spark.shuffle-partitions = 6\nshoplake.spark.shuffle-partition-bytes = 1 KiB\n");
          SparkSessions.applyJobSettings(spark, config);
          assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"));

          assertEquals(3, SparkSessions.sizeShuffles(spark, config, 2_500));
          assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
          assertEquals(3, spark.range(100).repartition(org.apache.spark.sql.functions.col("id")).rdd()
              .getNumPartitions(), "plans built after the sizing use it");

          SparkSessions.applyJobSettings(spark, config);
          assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"),
              "the next job of the session starts afresh");

          LakeConfig fixed = load("shoplake.spark.shuffle-partitions = 6\n");
          assertEquals(0, SparkSessions.sizeShuffles(spark, fixed, 2_500));
          assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"),
              "no sizing without shuffle-partition-bytes");
        });
  }

  @Test
  void onlyInputsUnderTheThresholdAreInterpretedOrKeptFromC2() {
    assertEquals(true, SparkSessions.underThreshold(32 * MIB, 0));
    assertEquals(true, SparkSessions.underThreshold(32 * MIB, 32 * MIB - 1));
    assertEquals(false, SparkSessions.underThreshold(32 * MIB, 32 * MIB), "an input at the threshold is over it");
    assertEquals(false, SparkSessions.underThreshold(0, 10), "0: never under (code generated, C2 left alone)");
    assertEquals(true, SparkSessions.underThreshold(1024, 1023));
    assertEquals(false, SparkSessions.underThreshold(0, 1), "0: never");
  }

  @Test
  void aSmallRunIsInterpretedWithTheSameRowsAndTheNextJobGeneratesCodeAgain() throws Exception {
    SparkSession spark = SharedSpark.get();
    LakeConfig config = load("shoplake.spark.codegen-min-input-bytes = 1 KiB\n");
    String query = "select id % 7 as k, sum(id * 3) as s, max(cast(id as string)) as m from range(2000) group by id % 7";
    // As conf/local.conf runs; with AQE the executed plan is not final until it ran.
    SharedSpark.withSettings(Map.of(SharedSpark.ADAPTIVE, "false"), () -> {
      try {
        SparkSessions.applyJobSettings(spark, config);
        List<Row> generated = spark.sql(query).orderBy("k").collectAsList();
        assertTrue(wholeStageCodegen(spark.sql(query)), "a large enough run generates code");

        assertTrue(SparkSessions.interpretSmallInput(spark, config, 1000));
        assertEquals("NO_CODEGEN", spark.conf().get("spark.sql.codegen.factoryMode"));
        assertFalse(wholeStageCodegen(spark.sql(query)), "plans built afterwards are interpreted");
        long compiled = compilations();
        assertEquals(generated, spark.sql(query).orderBy("k").collectAsList());
        // factoryMode is internal to Spark: this fails if an upgrade stops honouring it.
        assertEquals(compiled, compilations(), "no expression compiled either");

        SparkSessions.applyJobSettings(spark, config);
        assertTrue(wholeStageCodegen(spark.sql(query)), "the next job of the session generates code again");
        assertFalse(SparkSessions.interpretSmallInput(spark, config, 1024), "an input at the threshold is compiled");
        assertFalse(SparkSessions.interpretSmallInput(spark, load(""), 10), "dev never interprets");
      } finally {
        SparkSessions.CODEGEN_KEYS.forEach(k -> spark.conf().unset(k));
      }
    });
  }

  /** How many classes Janino compiled in this JVM so far (Spark's codegen metrics). */
  private static long compilations() {
    return org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
  }

  private static boolean wholeStageCodegen(Dataset<Row> frame) {
    return frame.queryExecution().executedPlan().find(
        p -> p instanceof org.apache.spark.sql.execution.WholeStageCodegenExec).isDefined();
  }

  @Test
  void theListedColumnsAreWrittenWithoutADictionaryAndTheOthersKeepIt() throws Exception {
    SparkSession spark = SharedSpark.get();
    // Values repeated enough that Parquet keeps a dictionary for each column by default (for distinct values it
    // drops the dictionary of the first page already, which would hide the setting).
    String query = "select concat('E', cast(id % 50 as string)) as event_id,"
        + " concat('d', cast(id % 3 as string)) as device_type, timestamp_seconds(id % 50) as event_ts from range(3000)";
    try {
      SparkSessions.applyJobSettings(spark, load("shoplake.lake.parquet-plain-columns = [event_id, event_ts]\n"));
      Map<String, Boolean> plain = dictionaryByColumn(spark, query, "plain");
      assertEquals(Map.of("event_id", false, "device_type", true, "event_ts", false), plain);

      SparkSessions.applyJobSettings(spark, load("shoplake.lake.parquet-plain-columns = [event_ts]\n"));
      assertEquals(Map.of("event_id", true, "device_type", true, "event_ts", false),
          dictionaryByColumn(spark, query, "next"), "a column the next job's settings no longer list gets it back");
    } finally {
      SparkSessions.applyJobSettings(spark, load(""));
    }
  }

  @Test
  void aPlainColumnThatIsNotAColumnNameIsAUsageError() {
    UsageException bad = assertThrows(UsageException.class,
        () -> load("shoplake.lake.parquet-plain-columns = [\"event id\"]\n"));
    assertEquals("Cannot use shoplake.lake.parquet-plain-columns 'event id': expected column names such as"
        + " event_id (letters, digits, '_'; a nested field as parent.child)", bad.getMessage());
    assertTrue(assertThrows(UsageException.class,
        () -> load("shoplake.lake.parquet-plain-columns = [a, b, a]\n")).getMessage().contains("named twice"));
  }

  /** Writes {@code query} as one Parquet file under {@code name} and tells, per column, whether it has a dictionary. */
  private Map<String, Boolean> dictionaryByColumn(SparkSession spark, String query, String name) throws Exception {
    String out = dir.resolve(name).toString();
    spark.sql(query).coalesce(1).write().parquet(out);
    org.apache.hadoop.fs.Path file;
    try (Stream<Path> files = Files.list(dir.resolve(name))) {
      file = new org.apache.hadoop.fs.Path(files.filter(f -> f.toString().endsWith(".parquet")).findFirst()
          .orElseThrow().toString());
    }
    Map<String, Boolean> dictionary = new HashMap<>();
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(file, spark.sparkContext().hadoopConfiguration()))) {
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          dictionary.merge(column.getPath().toDotString(), column.hasDictionaryPage(), Boolean::logicalOr);
        }
      }
    }
    return dictionary;
  }

  @Test
  void theBytesOfAFileReadComeFromItsListing() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "a,b\n1,2\n3,4\n");
    long bytes = SparkSessions.fileBytes(spark.read().option("header", "true").csv(csv.toString()));
    assertEquals(Files.size(csv), bytes);
  }

  private LakeConfig load(String text) throws Exception {
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, text);
    return ConfigLoader.load(JobArguments.parse("--env", "dev", "--config-file", file.toString()));
  }
}

package io.shoplake.common.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {
  private static final long MIB = 1024L * 1024;

  @TempDir Path dir;

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
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    String adaptive = spark.conf().get("spark.sql.adaptive.enabled");
    // As conf/local.conf runs: without AQE, whose coalescing would hide the count.
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    try {
      LakeConfig config = load("shoplake.spark.shuffle-partitions = 6\nshoplake.spark.shuffle-partition-bytes = 1 KiB\n");
      SparkSessions.applyJobSettings(spark, config);
      assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"));

      assertEquals(3, SparkSessions.sizeShuffles(spark, config, 2_500));
      assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
      assertEquals(3, spark.range(100).repartition(org.apache.spark.sql.functions.col("id")).rdd().getNumPartitions(),
          "plans built after the sizing use it");

      SparkSessions.applyJobSettings(spark, config);
      assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"), "the next job of the session starts afresh");

      LakeConfig fixed = load("shoplake.spark.shuffle-partitions = 6\n");
      assertEquals(0, SparkSessions.sizeShuffles(spark, fixed, 2_500));
      assertEquals("6", spark.conf().get("spark.sql.shuffle.partitions"), "no sizing without shuffle-partition-bytes");
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
      spark.conf().set("spark.sql.adaptive.enabled", adaptive);
    }
  }

  @Test
  void onlyInputsUnderTheThresholdAreInterpreted() {
    assertEquals(true, SparkSessions.interpreted(32 * MIB, 0));
    assertEquals(true, SparkSessions.interpreted(32 * MIB, 32 * MIB - 1));
    assertEquals(false, SparkSessions.interpreted(32 * MIB, 32 * MIB));
    assertEquals(false, SparkSessions.interpreted(0, 10), "0 always generates code");
  }

  @Test
  void aSmallRunIsInterpretedWithTheSameRowsAndTheNextJobGeneratesCodeAgain() throws Exception {
    SparkSession spark = SharedSpark.get();
    LakeConfig config = load("shoplake.spark.codegen-min-input-bytes = 1 KiB\n");
    String query = "select id % 7 as k, sum(id * 3) as s, max(cast(id as string)) as m from range(2000) group by id % 7";
    String adaptive = spark.conf().get("spark.sql.adaptive.enabled");
    // As conf/local.conf runs; with AQE the executed plan is not final until it ran.
    spark.conf().set("spark.sql.adaptive.enabled", "false");
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
      spark.conf().set("spark.sql.adaptive.enabled", adaptive);
    }
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

package io.shoplake.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void everyEnvironmentLoadsAndNamesItsBucket() {
    for (String env : JobArguments.ENVIRONMENTS) {
      LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", env));
      assertEquals(env, config.environment());
      if (!env.equals("local")) {
        assertEquals("s3://" + env + "-shoplake-lake", config.lakeRoot());
        assertEquals(env + "/shoplake/pii-hash-key", config.pii().hashKeySecretId());
        assertEquals(false, config.pii().allowDevelopmentKey());
      }
    }
    assertEquals("prod-shoplake-quarantine", ConfigLoader.load(JobArguments.parse("--env", "prod"))
        .resourceName("quarantine"));
  }

  @Test
  void theLakeRootArgumentOverridesTheFile() {
    LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", "dev", "--lake-root", "s3a://other/lake"));
    assertEquals("s3a://other/lake", config.lakeRoot());
  }

  @Test
  void aLakeRootThatWouldLandElsewhereIsRefused() {
    // An unexpanded '~' made a folder named '~' in the working folder; 'file:lake' a lake under Hadoop's own folder.
    UsageException tilde = assertThrows(UsageException.class,
        () -> ConfigLoader.load(JobArguments.parse("--lake-root", "~/lake")));
    assertEquals("Cannot use lake root '~/lake': '~' is expanded only by a shell, and not inside quotes or a config"
        + " file; give the full path", tilde.getMessage());
    UsageException relative = assertThrows(UsageException.class,
        () -> ConfigLoader.load(JobArguments.parse("--lake-root", "file:lake")));
    assertEquals("Cannot use lake root 'file:lake': a file: URI takes an absolute path (file:///...); or give a plain"
        + " path", relative.getMessage());
    // Spark takes such a path as a pattern: the jobs failed with "Path does not exist" on the lake's own folders.
    UsageException pattern = assertThrows(UsageException.class,
        () -> ConfigLoader.load(JobArguments.parse("--lake-root", "/tmp/lake[x]")));
    assertEquals("Cannot use lake root '/tmp/lake[x]': Spark reads a path holding any of { } [ ] * ? \\ as a pattern,"
        + " so the jobs would not find the lake's own folders; choose a folder without them", pattern.getMessage());
    for (String fine : new String[] {"lake", "./lake", "/tmp/lake", "file:/tmp/lake", "file:///tmp/lake",
        "s3a://bucket/lake", "/tmp/a~b", "/tmp/my lake (2)/+x"}) {
      assertEquals(fine, ConfigLoader.load(JobArguments.parse("--lake-root", fine)).lakeRoot());
    }
  }

  @Test
  void anUnknownKeyIsAOneLineErrorNamingIt() throws Exception {
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake.transactions.datset = x\n"));
    assertEquals("Cannot load configuration: " + dir.resolve("extra.conf") + " sets unknown key"
        + " shoplake.transactions.datset (every key is declared in conf/reference.conf)", e.getMessage());
  }

  @Test
  void anIllTypedKeyIsAOneLineErrorNamingIt() throws Exception {
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake.spark.shuffle-partitions = many\n"));
    assertEquals("Cannot load configuration: " + dir.resolve("extra.conf") + " sets shoplake.spark.shuffle-partitions"
        + " to \"many\" but it must be number", e.getMessage());
  }

  @Test
  void onlyTheLocalEnvironmentSizesShufflesByItsInput() throws Exception {
    LakeConfig local = ConfigLoader.load(JobArguments.parse("--env", "local"));
    assertEquals(8, local.shufflePartitions());
    assertEquals(64L * 1024 * 1024, local.shufflePartitionBytes());
    for (String env : List.of("dev", "staging", "prod")) {
      LakeConfig config = ConfigLoader.load(JobArguments.parse("--env", env));
      assertEquals(0, config.shufflePartitions(), env + " keeps Spark's count (AQE coalesces)");
      assertEquals(0, config.shufflePartitionBytes(), env);
    }
    assertEquals(1000, loadWith("shoplake.spark.shuffle-partition-bytes = 1000\n").shufflePartitionBytes(),
        "a plain number is bytes");
    UsageException e = assertThrows(UsageException.class,
        () -> loadWith("shoplake.spark.shuffle-partition-bytes = lots\n"));
    assertEquals("Cannot use shoplake.spark.shuffle-partition-bytes 'lots': expected 0 or a size such as 64 MiB",
        e.getMessage());
  }

  @Test
  void onlyTheLocalEnvironmentInterpretsSmallInputs() throws Exception {
    assertLocalOnlySize("spark.codegen-min-input-bytes", 32L * 1024 * 1024, LakeConfig::codegenMinInputBytes);
  }

  @Test
  void onlyTheLocalEnvironmentKeepsC2OffTheGeneratedCodeOfSmallInputs() throws Exception {
    assertLocalOnlySize("spark.c2-min-input-bytes", 256L * 1024 * 1024, LakeConfig::c2MinInputBytes);
  }

  @Test
  void onlyTheLocalEnvironmentCachesALargeTransactionInputOnDiskOnly() throws Exception {
    assertLocalOnlySize("transactions.disk-only-min-input-bytes", 256L * 1024 * 1024,
        c -> c.transactions().diskOnlyMinInputBytes());
    LakeConfig.Transactions local = ConfigLoader.load(JobArguments.parse("--env", "local")).transactions();
    assertEquals("MEMORY_AND_DISK", local.cacheLevel(115_000_000L), "1M rows of CSV");
    assertEquals("MEMORY_AND_DISK", local.cacheLevel(240_565_453L), "2M rows of CSV");
    assertEquals("DISK_ONLY", local.cacheLevel(256L * 1024 * 1024));
    assertEquals("DISK_ONLY", local.cacheLevel(361_032_336L), "3M rows of CSV");
    assertEquals("DISK_ONLY", local.cacheLevel(1_149_000_000L), "10M rows of CSV");
    assertEquals("MEMORY_AND_DISK",
        ConfigLoader.load(JobArguments.parse("--env", "prod")).transactions().cacheLevel(1L << 40), "no threshold");
    assertEquals("NONE", loadWith("shoplake.transactions.persist-level = NONE\n"
        + "shoplake.transactions.disk-only-min-input-bytes = 1 KiB\n").transactions().cacheLevel(1L << 30),
        "NONE caches nothing at any size");
  }

  /** {@code shoplake.<key>} is {@code local} in local.conf and 0 elsewhere; a value that is no size is a usage error. */
  private void assertLocalOnlySize(String key, long local, ToLongFunction<LakeConfig> value) throws Exception {
    assertEquals(local, value.applyAsLong(ConfigLoader.load(JobArguments.parse("--env", "local"))), key);
    for (String env : List.of("dev", "staging", "prod")) {
      assertEquals(0, value.applyAsLong(ConfigLoader.load(JobArguments.parse("--env", env))), env + ": " + key);
    }
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake." + key + " = -1\n"));
    assertEquals("Cannot use shoplake." + key + " '-1': expected 0 or a size such as 64 MiB", e.getMessage());
  }

  @Test
  void thePipelineRunsSmallInputsSideBySide() throws Exception {
    LakeConfig local = ConfigLoader.load(JobArguments.parse("--env", "local"));
    assertEquals(4, local.pipelineParallelSteps());
    assertEquals(32L * 1024 * 1024, local.pipelineParallelMaxInputBytes());
    assertEquals(1, loadWith("shoplake.pipeline.parallel-steps = 1\n").pipelineParallelSteps());
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake.pipeline.parallel-steps = 0\n"));
    assertEquals("Cannot use shoplake.pipeline.parallel-steps 0: expected a positive number", e.getMessage());
  }

  @Test
  void aBadStorageLevelIsRejected() throws Exception {
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake.transactions.persist-level = FAST\n"));
    assertEquals("Cannot use shoplake.transactions.persist-level 'FAST': expected NONE or a Spark storage level"
        + " such as MEMORY_AND_DISK or DISK_ONLY", e.getMessage());
    assertEquals("NONE", loadWith("shoplake.transactions.persist-level = none\n").transactions().persistLevel());
  }

  @Test
  void clickstreamCachesAtAStorageLevelButNeverNone() throws Exception {
    assertEquals("MEMORY_AND_DISK", ConfigLoader.load(JobArguments.parse("--env", "dev")).clickstream().persistLevel());
    assertEquals("DISK_ONLY", ConfigLoader.load(JobArguments.parse("--env", "local")).clickstream().persistLevel());
    assertEquals("MEMORY_ONLY",
        loadWith("shoplake.clickstream.persist-level = memory_only\n").clickstream().persistLevel());
    UsageException e = assertThrows(UsageException.class,
        () -> loadWith("shoplake.clickstream.persist-level = NONE\n"));
    assertEquals("Cannot use shoplake.clickstream.persist-level 'NONE': expected a Spark storage level such as"
        + " MEMORY_AND_DISK or DISK_ONLY", e.getMessage());
  }

  @Test
  void cachesAreKeptAsRowsUnlessColumnsAreAskedFor() throws Exception {
    for (String env : List.of("local", "dev", "staging", "prod")) {
      assertEquals("rows", ConfigLoader.load(JobArguments.parse("--env", env)).cacheFormat(), env);
    }
    assertEquals("columns", loadWith("shoplake.spark.cache-format = Columns\n").cacheFormat());
    UsageException e = assertThrows(UsageException.class, () -> loadWith("shoplake.spark.cache-format = parquet\n"));
    assertEquals("Cannot use shoplake.spark.cache-format 'parquet': expected rows or columns", e.getMessage());
  }

  @Test
  void aMissingEnvironmentFileInAConfDirIsReported() {
    UsageException e = assertThrows(UsageException.class,
        () -> ConfigLoader.load(JobArguments.parse("--env", "dev"), Optional.of(new File(dir.toFile(), "none"))));
    assertEquals("Cannot load configuration: no file " + dir.resolve("none/reference.conf"), e.getMessage());
  }

  @Test
  void sparkSqlSettingsArePerEnvironmentAndOnlySqlOnes() throws Exception {
    Map<String, String> local = Map.of("spark.sql.adaptive.enabled", "false",
        "spark.sql.inMemoryColumnarStorage.compressed", "false", "spark.sql.optimizer.plannedWrite.enabled", "false",
        "spark.sql.maxConcurrentOutputFileWriters", "16");
    assertEquals(local, ConfigLoader.load(JobArguments.parse("--env", "local")).sparkSqlSettings());
    for (String env : List.of("dev", "staging", "prod")) {
      assertEquals(Map.of(), ConfigLoader.load(JobArguments.parse("--env", env)).sparkSqlSettings(),
          "a setting for one machine must not reach " + env);
    }
    Map<String, String> withExtra = new HashMap<>(local);
    withExtra.put("spark.sql.files.maxPartitionBytes", "64m");
    assertEquals(withExtra,
        loadWith("shoplake.spark.sql-settings { \"spark.sql.files.maxPartitionBytes\" = 64m }\n").sparkSqlSettings());
    UsageException notSql = assertThrows(UsageException.class,
        () -> loadWith("shoplake.spark.sql-settings { \"spark.executor.memory\" = 4g }\n"));
    assertEquals("Cannot use shoplake.spark.sql-settings \"spark.executor.memory\": only spark.sql.* settings can be"
        + " set on a job's session (others go to spark-submit --conf or shoplake.spark.launch-settings)",
        notSql.getMessage());
    UsageException notScalar = assertThrows(UsageException.class,
        () -> loadWith("shoplake.spark.sql-settings { \"spark.sql.x\" = [1, 2] }\n"));
    assertEquals("Cannot use shoplake.spark.sql-settings \"spark.sql.x\" = [1,2]: expected a string, number or boolean",
        notScalar.getMessage());
  }

  @Test
  void launchSettingsResetTheJavaSerializerAfterEachObjectInEveryEnvironment() throws Exception {
    for (String env : List.of("local", "dev", "staging", "prod")) {
      assertEquals(Map.of("spark.serializer.objectStreamReset", "1"),
          ConfigLoader.load(JobArguments.parse("--env", env)).sparkLaunchSettings(), env);
    }
    assertEquals(Map.of("spark.serializer.objectStreamReset", "100", "spark.kryoserializer.buffer.max", "256m"),
        loadWith("shoplake.spark.launch-settings { \"spark.serializer.objectStreamReset\" = 100,"
            + " \"spark.kryoserializer.buffer.max\" = 256m }\n").sparkLaunchSettings());
    UsageException notSpark = assertThrows(UsageException.class,
        () -> loadWith("shoplake.spark.launch-settings { \"fs.s3a.endpoint\" = x }\n"));
    assertEquals("Cannot use shoplake.spark.launch-settings \"fs.s3a.endpoint\": expected a Spark setting (spark.*)",
        notSpark.getMessage());
    UsageException notScalar = assertThrows(UsageException.class,
        () -> loadWith("shoplake.spark.launch-settings { \"spark.x\" { y = 1 } }\n"));
    assertEquals("Cannot use shoplake.spark.launch-settings \"spark.x\" = {\"y\":1}: expected a string, number or"
        + " boolean", notScalar.getMessage());
  }

  private LakeConfig loadWith(String text) throws Exception {
    Path file = dir.resolve("extra.conf");
    Files.writeString(file, text);
    return ConfigLoader.load(JobArguments.parse("--config-file", file.toString()));
  }
}

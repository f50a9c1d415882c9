package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.jdbc.JdbcExtract;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SecretSweep;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with stg_core, as {@code scripts/run-local.sh --with-stg-core} runs it: jdbc-extract first,
 * and the transactions from the database, on the sample data and the embedded server.
 */
class LocalPipelineStgCoreTest {
  @TempDir Path dir;

  /**
   * Also the secrets' sweep: a PII key and a database password planted for this run (and a wrong
   * password for a failing run after it) appear nowhere: not in stdout, stderr, the log file, the
   * manifests, {@code _dq/}, state, quarantine, processed, curated or the exports.
   */
  @Test
  void theWholeFlowRunsWithTheExtractionAndTheTransactionsFromStgCore() {
    StgCoreDatabase db = StgCoreDatabase.get().resetToSample();
    String piiKey = "planted-pii-key-" + UUID.randomUUID();
    String wrongPassword = "planted-wrong-password-" + UUID.randomUUID();
    TestLake lake = new TestLake(dir.resolve("lake")).withSampleRaw();
    JobHarness jobs = new JobHarness(lake, Map.of("ETL_PII_HASH_KEY", piiKey,
        "STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", db.password()));
    JobHarness wrong = new JobHarness(lake, Map.of("ETL_PII_HASH_KEY", piiKey,
        "STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", wrongPassword));
    List<String> streams = new ArrayList<>();
    try (SecretSweep sweep = new SecretSweep(dir.resolve("run.log"))) {
      assertEquals(0, PipelineHarness.run(jobs, "--extract-stg-core", "--transactions-source", "jdbc"),
          jobs.stdout() + jobs.stderr());
      streams.addAll(List.of(jobs.stdout(), jobs.stderr()));
      assertEquals(1, wrong.run(new JdbcExtract()).exitCode());
      streams.addAll(List.of(wrong.stdout(), wrong.stderr()));
      assertTrue(wrong.stderr().contains("Access denied"), wrong.stderr());
      assertTrue(sweep.log().contains("jdbc-extract run "), "the log file received the run's events");
      assertEquals(List.of(), sweep.findIn(lake.root(), streams, List.of(piiKey, db.password(), wrongPassword)));
    }
    String summary = streams.get(0);
    assertTrue(summary.lines().anyMatch(l -> l.matches("jdbc-extract +succeeded +640 +640 +0 +0 .*")), summary);
    assertTrue(summary.lines().anyMatch(l -> l.matches("transactions +succeeded +290 +290 +0 +0 .*")), summary);
    assertEquals(290, jobs.read("processed/stg_core/orders").count());
    assertEquals(290, jobs.read("curated/sales").count());
    assertEquals(0, jobs.read("curated/sales").filter("transaction_id not rlike '^[0-9]+$'").count());
  }

  @Test
  void withoutAConnectionTheFlagIsAOneLineErrorBeforeSparkStarts() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")).withSampleRaw());
    assertEquals(2, PipelineHarness.run(jobs, "--extract-stg-core"));
    assertEquals("ERROR pipeline: Cannot connect to stg_core: no JDBC URL (set STG_CORE_JDBC_URL or"
        + " shoplake.stg-core.jdbc-url)", jobs.stderr().trim());
  }
}

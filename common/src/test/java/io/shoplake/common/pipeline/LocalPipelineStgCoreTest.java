package io.shoplake.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with stg_core, as {@code scripts/run-local.sh --with-stg-core} runs it: jdbc-extract first,
 * and the transactions from the database, on the sample data and the embedded server.
 */
class LocalPipelineStgCoreTest {
  @TempDir Path dir;

  @Test
  void theWholeFlowRunsWithTheExtractionAndTheTransactionsFromStgCore() {
    StgCoreDatabase db = StgCoreDatabase.get().resetToSample();
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")).withSampleRaw(), Map.of(
        "STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(), "STG_CORE_PASSWORD", db.password()));
    assertEquals(0, jobs.runPipeline("--extract-stg-core", "--transactions-source", "jdbc"),
        jobs.stdout() + jobs.stderr());
    String summary = jobs.stdout();
    assertTrue(summary.lines().anyMatch(l -> l.matches("jdbc-extract +succeeded +640 +640 +0 +0 .*")), summary);
    assertTrue(summary.lines().anyMatch(l -> l.matches("transactions +succeeded +290 +290 +0 +0 .*")), summary);
    assertEquals(290, jobs.read("processed/stg_core/orders").count());
    assertEquals(290, jobs.read("curated/sales").count());
    assertEquals(0, jobs.read("curated/sales").filter("transaction_id not rlike '^[0-9]+$'").count());
  }

  @Test
  void withoutAConnectionTheFlagIsAOneLineErrorBeforeSparkStarts() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")).withSampleRaw());
    assertEquals(2, jobs.runPipeline("--extract-stg-core"));
    assertEquals("ERROR pipeline: Cannot connect to stg_core: no JDBC URL (set STG_CORE_JDBC_URL or"
        + " shoplake.stg-core.jdbc-url)", jobs.stderr().trim());
  }
}

package io.shoplake.jobs.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.ingest.IngestJob;
import io.shoplake.common.jdbc.JdbcExtract;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import io.shoplake.common.validation.FileValidation;
import io.shoplake.jobs.testing.SampleLakeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State is committed in one place, by the runner: a failure injected after a job's outputs and checks
 * and before the commit leaves the bookmark (transactions), the watermarks (jdbc-extract), the
 * fingerprints (master-merge), the file checks' verdicts (validate's registry) and an ingested dataset's
 * schema contract exactly as they were, and the rerun commits them.
 */
class StateCommitTest {
  private static final Runnable FAIL = () -> {
    throw new IllegalStateException("injected failure before the state commit");
  };

  @TempDir Path dir;

  @Test
  void aFailureBeforeTheCommitLeavesTheBookmarkAndTheFingerprintsAsTheyWere() throws IOException {
    TestLake lake = SampleLakeReference.get().copyTo(dir.resolve("lake"));
    lake.writeTransactions("2025-01-04", "late.csv", List.of(
        "T-LATE-1,C001,P001,1,10.00,0,0,USD,card,completed,2025-01-04T10:00:00Z,,US"));
    Map<String, String> before = state(lake, "transactions", "master-merge", "validate");

    JobHarness failing = new JobHarness(lake).beforeCommit(FAIL);
    JobOutcome transactions = failing.run(new TransactionEtl());
    assertEquals(1, transactions.exitCode(), failing.stdout());
    assertTrue(failing.stderr().contains("injected failure before the state commit"), failing.stderr());
    JobOutcome merge = failing.run(new MasterMerge(), "--full-refresh");
    assertEquals(1, merge.exitCode(), failing.stdout() + failing.stderr());
    assertTrue(failing.stderr().contains("injected failure before the state commit"), failing.stderr());
    // The file checks' verdict on late.csv, made by the transactions run, is state too.
    assertEquals(before, state(lake, "transactions", "master-merge", "validate"), "state as it was");

    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, jobs.run(new TransactionEtl()).exitCode(), jobs.stderr());
    assertTrue(jobs.stdout().contains("rows read 1, written 1"), jobs.stdout());
    assertNotEquals(before.get("transactions/bookmark.json"), state(lake, "transactions").get("transactions/bookmark.json"));
    JobOutcome merged = jobs.run(new MasterMerge());
    assertEquals(0, merged.exitCode(), jobs.stderr());
    @SuppressWarnings("unchecked")
    List<String> committed = (List<String>) merged.manifest().orElseThrow().getMetrics().get("state_committed");
    assertEquals(3, committed.size(), String.valueOf(committed));
    assertTrue(committed.get(0).endsWith("/_state/master-merge/input-fingerprints.json"), committed.get(0));
    assertTrue(committed.get(1).endsWith("/_state/master-merge/input-folder-signatures.json"), committed.get(1));
    assertTrue(committed.get(2).endsWith("/_state/master-merge/input-signatures.json"), committed.get(2));
  }

  @Test
  void aFailureBeforeTheCommitLeavesNoWatermark() throws IOException {
    StgCoreDatabase db = StgCoreDatabase.get().resetToSample();
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness failing = new JobHarness(lake, Map.of("STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(),
        "STG_CORE_PASSWORD", db.password())).beforeCommit(FAIL);
    assertEquals(1, failing.run(new JdbcExtract()).exitCode());
    assertEquals(Map.of(), state(lake, "jdbc-extract"), "no watermark of any table");
    assertTrue(Files.exists(dir.resolve("lake/processed/stg_core/orders")), "the outputs were written");
  }

  @Test
  void aFailureBeforeTheCommitLeavesNoValidationVerdictAndNoSchemaContract() throws IOException {
    TestLake lake = new TestLake(dir.resolve("lake"));
    lake.writeRaw("leads", "2025-03-01", "a.csv", "id,score", List.of("1,9.5"));
    JobHarness failing = new JobHarness(lake).beforeCommit(FAIL);
    assertEquals(1, failing.run(new FileValidation()).exitCode());
    assertEquals(1, failing.run(new IngestJob(), "--dataset", "leads").exitCode());
    assertEquals(Map.of(), state(lake, "validate", "ingest"));
    assertFalse(Files.exists(dir.resolve("lake/_schemas/leads")), "no contract recorded");
    assertTrue(Files.exists(dir.resolve("lake/processed/leads")), "the outputs were written");

    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, jobs.run(new IngestJob(), "--dataset", "leads").exitCode(), jobs.stderr());
    assertTrue(Files.exists(dir.resolve("lake/_schemas/leads/v0001.json")));
    assertTrue(state(lake, "validate").containsKey("validate/files.json"), "the verdict, committed by the rerun");
  }

  /** Every file under {@code _state/<job>/} (lock files aside: a run's own), with its text. */
  private static Map<String, String> state(TestLake lake, String... jobs) throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (String job : jobs) {
      Path folder = lake.root().resolve("_state").resolve(job);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path file : all.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          if (!name.startsWith(".") && !name.contains("lock")) {
            files.put(job + "/" + name, Files.readString(file));
          }
        }
      }
    }
    return files;
  }
}

package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.bookmark.JobLock;
import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.common.transactions.TransactionEtl;
import io.shoplake.jobs.testing.PipelineHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing step stops what depends on it, says why, and the exit code is non-zero; the rest still runs. */
class LocalPipelineFailureTest {
  @TempDir Path dir;

  @Test
  void aMissingDatasetFailsItsJobAndTheStepsThatNeedItOnly() {
    TestLake lake = new TestLake(dir.resolve("lake"));
    lake.writeFxRates("2025-01-01", "fx.csv", List.of("2025-01-01,USD,1"));
    lake.writeTransactions("2025-01-01", "t.csv", List.of(
        "T1,C1,P1,1,10.00,,,USD,card,completed,2025-01-01T10:00:00Z,,US"));
    lake.writeRaw("categories", "2025-01-01", "c.csv", "category_id,category_name,parent_category_id,department",
        List.of("C1,Cat,,Dept"));
    lake.writeJsonLines("products", "2025-01-01", "p.jsonl", List.of(
        "{\"product_id\":\"P1\",\"category_id\":\"C1\",\"price\":10,\"cost\":5,\"stock_quantity\":3,"
            + "\"updated_at\":\"2025-01-01T00:00:00Z\"}"));
    lake.writeJsonLines("clickstream", "2025-01-01", "e.jsonl", List.of(
        "{\"event_id\":\"E1\",\"anonymous_id\":\"A1\",\"event_type\":\"page_view\",\"event_ts\":\"2025-01-01T10:00:00Z\"}"));
    // No raw/reviews at all.
    JobHarness jobs = new JobHarness(lake);

    assertEquals(1, PipelineHarness.run(jobs));
    String summary = jobs.stdout();
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("reviews ") && l.contains("failed")), summary);
    assertTrue(summary.contains("reviews: Cannot read reviews: no folder "), summary);
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("master-merge ") && l.contains("not run")), summary);
    assertTrue(summary.contains("master-merge: not run: reviews failed"), summary);
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("export sales ") && l.contains("not run")), summary);
    for (String independent : List.of("transactions ", "products ", "clickstream ", "export traffic_hourly ",
        "export conversion_funnel_daily ")) {
      assertTrue(summary.lines().anyMatch(l -> l.startsWith(independent) && l.contains("succeeded")),
          independent + "\n" + summary);
    }
    assertTrue(jobs.stderr().contains("ERROR reviews run "), jobs.stderr());
    // Quality cannot vouch for a dataset that was never written: it fails, it does not warn.
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("quality ") && l.contains("failed")), summary);
  }

  @Test
  void aRawZoneStepRefusedByAHeldLockFailsQualityAndMasterMergeDoesNotPublish() throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    long salesBefore = jobs.read("curated/sales").count();
    lake.writeTransactions("2025-01-03", "t3.csv", List.of(TinyShop.transaction("T9", "C1", "P1",
        "2025-01-03T10:00:00Z")));

    // Another live run holds the transaction job's lock: this pipeline's transactions step is refused.
    try (JobLock held = JobLock.acquire(TransactionEtl.NAME, lake.uri() + "_state/" + TransactionEtl.NAME,
        "another-live-run", Duration.ofMinutes(2), SharedSpark.get().sparkContext().hadoopConfiguration())) {
      assertEquals(1, PipelineHarness.run(jobs));
    }
    String summary = jobs.stdout();
    assertTrue(summary.contains("transactions: Cannot start transactions: run another-live-run "), summary);
    // processed/transactions still holds yesterday's output: quality must not pass it as today's.
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("quality ") && l.contains("failed")), summary);
    assertTrue(summary.contains("the latest run of transactions ("), summary);
    assertTrue(summary.contains("master-merge: not run: transactions failed"), summary);
    assertEquals(salesBefore, jobs.read("curated/sales").count());

    // Run by hand, master-merge refuses to publish on the failed quality run.
    JobOutcome merge = jobs.run(new MasterMerge());
    assertEquals(1, merge.exitCode());
    assertTrue(merge.manifest().orElseThrow().getError().startsWith("Cannot merge: held back by failed error-level"
        + " quality checks"), merge.manifest().orElseThrow().getError());

    // Once the lock is free, a plain rerun of the pipeline takes the new file and publishes it.
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    assertEquals(salesBefore + 1, jobs.read("curated/sales").count());
  }
}

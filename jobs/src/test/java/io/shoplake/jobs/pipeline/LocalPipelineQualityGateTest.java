package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.quality.QualityJob;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.jobs.testing.PipelineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An error-level quality failure keeps master-merge from publishing, in the pipeline and when run alone. */
class LocalPipelineQualityGateTest {
  @TempDir Path dir;

  @Test
  void masterMergeIsHeldBackUntilAQualityRunPasses() throws IOException {
    TestLake lake = TinyShop.create(dir.resolve("lake"));
    Path strict = dir.resolve("strict.conf");
    Files.writeString(strict, "shoplake.quality.datasets.transactions.checks.has-rows.min = 100\n");
    JobHarness jobs = new JobHarness(lake);

    assertEquals(1, PipelineHarness.run(jobs, "--config-file", strict.toString()));
    String summary = jobs.stdout();
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("quality ") && l.contains("failed")), summary);
    assertTrue(summary.contains("quality: Cannot pass quality: 1 error-level check failed: transactions.has-rows"
        + " (row-count, error): 3 rows, expected at least 100"), summary);
    assertTrue(summary.contains("master-merge: not run: quality failed"), summary);
    assertTrue(summary.contains("export sales: not run: master-merge not run"), summary);
    assertFalse(Files.exists(lake.root().resolve("curated/sales")));

    // Run by hand, master-merge refuses too, naming the run and the check.
    JobOutcome merge = jobs.run(new MasterMerge());
    assertEquals(1, merge.exitCode());
    String error = merge.manifest().orElseThrow().getError();
    assertTrue(error.startsWith("Cannot merge: held back by failed error-level quality checks on"
        + " processed/transactions (quality run "), error);
    assertTrue(error.contains("transactions.has-rows: 3 rows, expected at least 100"), error);
    assertEquals("data", merge.manifest().orElseThrow().getErrorKind());
    assertFalse(Files.exists(lake.root().resolve("curated/sales")));

    // With the default checks the same data passes, and master-merge publishes it.
    assertEquals(0, jobs.run(new QualityJob()).exitCode(), jobs.stderr());
    assertEquals(0, jobs.run(new MasterMerge()).exitCode(), jobs.stderr());
    assertEquals(3, jobs.read("curated/sales").count());
  }
}

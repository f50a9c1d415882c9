package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.UsageException;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the runner ends a run that goes wrong: one line on stderr, the manifest, the exit code. */
class JobRunnerTest {
  @TempDir Path dir;

  private static LakeJob job(Function<JobContext, JobResult> body) {
    return new LakeJob() {
      @Override
      public String name() {
        return "test-job";
      }

      @Override
      public JobResult run(JobContext context) {
        return body.apply(context);
      }
    };
  }

  @Test
  void sparksCheckedAnalysisExceptionIsOneLineAndAFailedManifestNotAStackTrace() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    JobOutcome outcome = jobs.run(job(ctx -> {
      ctx.spark().sql("select no_such_column from values (1) as t(a)");
      throw new AssertionError("unreachable: the query is analysed eagerly");
    }));
    assertEquals(1, outcome.exitCode());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    assertTrue(jobs.stderr().contains("no_such_column"), jobs.stderr());
    assertEquals("failed", outcome.manifest().orElseThrow().getStatus());
    assertTrue(outcome.manifest().orElseThrow().getErrorDetail().contains("AnalysisException"));
  }

  @Test
  void aUsageErrorFoundInsideTheJobExitsWithTwo() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    JobOutcome outcome = jobs.run(job(ctx -> {
      throw new UsageException("Cannot use --thing 'x': expected y");
    }));
    assertEquals(2, outcome.exitCode());
    assertTrue(jobs.stderr().contains("Cannot use --thing 'x': expected y"), jobs.stderr());
  }

  @Test
  void skippedRowsCountInTheAccountingAndAnUnaccountedRowFailsTheRun() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    JobOutcome balanced = jobs.run(job(ctx -> new JobResult(List.of(), 10, 6, Map.of("bad", 1L),
        Map.of("older_version", 3L), List.of(), Map.of(), Map.of(), List.of())));
    assertEquals(0, balanced.exitCode(), jobs.stderr());
    assertEquals(3, balanced.manifest().orElseThrow().getRowsSkipped());
    assertTrue(jobs.stdout().contains("skipped (not errors): {older_version=3}"), jobs.stdout());

    JobOutcome unbalanced = jobs.run(job(ctx -> new JobResult(List.of(), 10, 6, Map.of("bad", 1L),
        Map.of("older_version", 2L), List.of(), Map.of(), Map.of(), List.of())));
    assertEquals(1, unbalanced.exitCode());
    assertTrue(jobs.stderr().contains("Cannot account for every row: read 10 but written 6 + rejected 1 + skipped 2"),
        jobs.stderr());
  }

  /**
   * Hadoop's local file system reports a failed write as {@code FSError}, an Error: on a full disk it went past
   * every handler, and the process ended on a stack trace with no failed manifest. The write here goes to
   * {@code /dev/full}, which fails as a full disk does (ENOSPC).
   */
  @Test
  void aFullDiskIsOneLineAndAFailedManifestNotAStackTrace() throws java.io.IOException {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(full), "needs Linux's /dev/full");
    TestLake lake = new TestLake(dir.resolve("lake"));
    Path target = java.nio.file.Files.createSymbolicLink(dir.resolve("state.json"), full);
    JobHarness jobs = new JobHarness(lake);
    JobOutcome outcome = jobs.run(job(ctx -> {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(target.toUri());
      try (java.io.OutputStream out = path.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration())
          .create(path, true)) {
        out.write(new byte[64 * 1024]);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      throw new AssertionError("unreachable: /dev/full takes no byte");
    }));
    assertEquals(1, outcome.exitCode(), jobs.stderr());
    assertEquals(1, jobs.stderr().trim().lines().count(), jobs.stderr());
    assertTrue(jobs.stderr().contains("No space left on device (a disk is full: free space on it and rerun)"),
        jobs.stderr());
    assertEquals("failed", outcome.manifest().orElseThrow().getStatus());
    assertTrue(outcome.manifest().orElseThrow().getErrorDetail().contains("FSError"));
  }

  /** A Spark setting of the configuration that Spark refuses: it went out of main as a stack trace. */
  @Test
  void aSparkSettingSparkRefusesIsOneLineAndExitTwo() throws java.io.IOException {
    Path conf = java.nio.file.Files.writeString(dir.resolve("bad.conf"),
        "shoplake.spark.sql-settings { \"spark.sql.caseSensitive\" = \"maybe\" }\n");
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    JobOutcome outcome = jobs.run(job(ctx -> {
      throw new AssertionError("unreachable: the session's settings are refused first");
    }), "--config-file", conf.toString());
    assertEquals(2, outcome.exitCode(), jobs.stderr());
    assertEquals("ERROR test-job: Cannot start Spark: IllegalArgumentException: spark.sql.caseSensitive should"
        + " be boolean, but was maybe", jobs.stderr().trim());
    assertTrue(outcome.manifest().isEmpty());
  }
}

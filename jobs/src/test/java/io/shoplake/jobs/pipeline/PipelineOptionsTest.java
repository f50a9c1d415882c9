package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline checks every step's options, with the arguments the step will get, before Spark starts. */
class PipelineOptionsTest {
  @TempDir Path dir;

  @Test
  void thePipelineChecksEveryStepsOptionsBeforeItsFirstStep() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    assertEquals(2, PipelineHarness.run(jobs, "--full-refresh", "yes"));
    assertEquals("ERROR pipeline: Cannot use --full-refresh 'yes': it is a flag (true or false)", jobs.stderr().trim());
    assertEquals("", jobs.stdout(), "no step ran");
    assertFalse(Files.exists(dir.resolve("lake/_runs")));
  }

  @Test
  void anOptionOfJdbcExtractWithoutExtractStgCoreSaysWhatIsMissing() {
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));
    assertEquals(2, PipelineHarness.run(jobs, "--full-reload", "orders"));
    assertEquals("ERROR pipeline: Cannot use --full-reload without --extract-stg-core: it is an option of jdbc-extract,"
        + " which the pipeline runs only with --extract-stg-core", jobs.stderr().trim());
    assertEquals("", jobs.stdout(), "no step ran");
    assertFalse(Files.exists(dir.resolve("lake/_runs")));
  }
}

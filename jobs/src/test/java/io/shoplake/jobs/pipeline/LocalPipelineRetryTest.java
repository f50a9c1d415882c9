package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.testing.FailingJob;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transient failures are retried with backoff up to the configured attempts; data and other errors are not. */
class LocalPipelineRetryTest {
  @TempDir Path dir;


  private static RuntimeException timeout() {
    return new UncheckedIOException("Cannot read s3a://bucket/key", new SocketTimeoutException("Read timed out"));
  }

  @Test
  void onlyTransientFailuresAreRetried() throws IOException {
    Path conf = dir.resolve("retry.conf");
    Files.writeString(conf, "shoplake.pipeline { retry-attempts = 3, retry-initial-backoff = 10 ms,"
        + " retry-max-backoff = 20 ms }\n");
    FailingJob flaky = new FailingJob("flaky", 1, timeout());
    FailingJob down = new FailingJob("down", 99, timeout());
    FailingJob badData = new FailingJob("bad-data", 99, new DataCheckFailure("Cannot pass quality: 3 rows", null));
    FailingJob broken = new FailingJob("broken", 99, new IllegalStateException("Cannot merge: no products"));
    List<PipelineStep> steps = List.of(flaky, down, badData, broken).stream()
        .map(job -> new PipelineStep(job.name(), job, List.of(), List.of())).toList();
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));

    assertEquals(1, PipelineHarness.run(jobs, config -> steps, "--config-file", conf.toString()));
    assertEquals(2, flaky.runs());
    assertEquals(3, down.runs());
    assertEquals(1, badData.runs());
    assertEquals(1, broken.runs());
    String summary = jobs.stdout();
    assertTrue(summary.lines().anyMatch(l -> l.startsWith("flaky ") && l.contains("succeeded")), summary);
    assertTrue(summary.contains("flaky: succeeded at attempt 2 after a transient failure"), summary);
    assertTrue(summary.contains("down: Cannot read s3a://bucket/key (3 attempts)"), summary);
    assertTrue(summary.contains("bad-data: Cannot pass quality: 3 rows\n"), summary);
    assertTrue(summary.contains("broken: Cannot merge: no products\n"), summary);
  }
}

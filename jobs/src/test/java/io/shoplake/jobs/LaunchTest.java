package io.shoplake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Glue job's main reruns a run that failed for a transient reason, and only such a run. */
class LaunchTest {
  @TempDir Path dir;

  @Test
  void aTransientFailureIsRunAgainInTheProcessAndADataFailureIsNot() throws IOException {
    Path conf = dir.resolve("retry.conf");
    Files.writeString(conf, "shoplake.pipeline { retry-attempts = 3, retry-initial-backoff = 10 ms,"
        + " retry-max-backoff = 20 ms }\n");
    String[] args = {"--lake-root", dir.resolve("lake").toUri().toString(), "--config-file", conf.toString()};
    SharedSpark.get();

    Failing flaky = new Failing("flaky", 2, new UncheckedIOException("Cannot read s3a://lake/x",
        new SocketTimeoutException("Read timed out")));
    assertEquals(0, Launch.runRetrying(runner(), flaky, args));
    assertEquals(3, flaky.runs.get());

    Failing down = new Failing("down", 99, new UncheckedIOException("Cannot read s3a://lake/x",
        new SocketTimeoutException("Read timed out")));
    assertEquals(1, Launch.runRetrying(runner(), down, args));
    assertEquals(3, down.runs.get(), "no more than the configured attempts");

    Failing badData = new Failing("bad-data", 99, new DataCheckFailure("Cannot pass quality: 3 rows", null));
    assertEquals(1, Launch.runRetrying(runner(), badData, args));
    assertEquals(1, badData.runs.get(), "a data failure would fail again");
    assertTrue(Files.exists(dir.resolve("lake/_runs/flaky")));
  }

  private static JobRunner runner() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new JobRunner(Map.of(), config -> id -> {
      throw new AssertionError("no secrets here");
    }, sink, sink);
  }

  private static final class Failing implements LakeJob {
    private final String name;
    private final int failures;
    private final RuntimeException failure;
    final AtomicInteger runs = new AtomicInteger();

    Failing(String name, int failures, RuntimeException failure) {
      this.name = name;
      this.failures = failures;
      this.failure = failure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public JobResult run(JobContext context) {
      if (runs.incrementAndGet() <= failures) {
        throw failure;
      }
      return JobResult.nothingToDo(Map.of(), List.of());
    }
  }
}

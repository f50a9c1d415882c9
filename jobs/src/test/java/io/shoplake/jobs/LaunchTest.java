package io.shoplake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.testing.FailingJob;
import io.shoplake.common.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    FailingJob flaky = new FailingJob("flaky", 2, new UncheckedIOException("Cannot read s3a://lake/x",
        new SocketTimeoutException("Read timed out")));
    assertEquals(0, Launch.runRetrying(runner(), flaky, args));
    assertEquals(3, flaky.runs());

    FailingJob down = new FailingJob("down", 99, new UncheckedIOException("Cannot read s3a://lake/x",
        new SocketTimeoutException("Read timed out")));
    assertEquals(1, Launch.runRetrying(runner(), down, args));
    assertEquals(3, down.runs(), "no more than the configured attempts");

    FailingJob badData = new FailingJob("bad-data", 99, new DataCheckFailure("Cannot pass quality: 3 rows", null));
    assertEquals(1, Launch.runRetrying(runner(), badData, args));
    assertEquals(1, badData.runs(), "a data failure would fail again");
    assertTrue(Files.exists(dir.resolve("lake/_runs/flaky")));
  }

  private static JobRunner runner() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new JobRunner(Map.of(), config -> id -> {
      throw new AssertionError("no secrets here");
    }, sink, sink);
  }
}

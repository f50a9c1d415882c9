package io.shoplake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark session that cannot start ends the launch in one line and exit 2, for a job and for the pipeline. Before,
 * Spark's builder threw out of {@code main}: "Exception in thread main" and its stack trace. Each case is a JVM of
 * its own, as only a JVM without a session creates one; Spark's own memory check refuses it
 * ({@code spark.testing.memory} stands in for a heap that is too small, as {@code SPARK_DRIVER_MEMORY=256m} is).
 */
class SparkStartFailureTest {
  private static final List<String> TOO_LITTLE_MEMORY = List.of("-Dspark.testing.memory=104857600");

  @TempDir Path dir;

  private String failedLaunch(String... args) throws InterruptedException {
    ChildProcess child = ChildProcess.start(dir, null, TOO_LITTLE_MEMORY, JobMain.class, args);
    int code = child.waitFor(Duration.ofMinutes(2));
    String output = child.output();
    assertEquals(2, code, output);
    assertFalse(output.contains("Exception in thread"), output);
    return output;
  }

  @Test
  void aJobWhoseSessionCannotStartSaysWhyInOneLine() throws InterruptedException {
    String output = failedLaunch("transactions", "--env", "local", "--lake-root", dir.resolve("lake").toString());
    List<String> ours = output.lines().filter(l -> l.startsWith("ERROR transactions")).toList();
    assertEquals(1, ours.size(), output);
    assertTrue(ours.get(0).startsWith("ERROR transactions: Cannot start Spark: SparkIllegalArgumentException:"
        + " [INVALID_DRIVER_MEMORY] System memory 104857600 must be at least 471859200."), output);
    assertTrue(ours.get(0).endsWith("(scripts/run-job.sh and scripts/run-local.sh set it from SPARK_DRIVER_MEMORY,"
        + " default 4g)"), output);
  }

  @Test
  void thePipelineWhoseSessionCannotStartSaysWhyInOneLine() throws InterruptedException {
    String output = failedLaunch("pipeline", "--env", "local", "--lake-root", dir.resolve("lake").toString());
    assertEquals(1, output.lines().filter(l -> l.startsWith("ERROR pipeline: Cannot start Spark:")).count(), output);
  }
}

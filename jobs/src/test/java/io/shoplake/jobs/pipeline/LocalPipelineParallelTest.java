package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.jobs.testing.PipelineHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of a stage run side by side, each in a session of its own, and the next stage waits for all
 * of them; {@code pipeline.parallel-steps = 1}, or a raw zone of {@code pipeline.parallel-max-input-bytes} or
 * more, runs every step one after another.
 */
class LocalPipelineParallelTest {
  @TempDir Path dir;

  /** What each job saw: its session, and its shuffle setting after every job of its stage had set its own. */
  private final Map<String, SparkSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> partitionsSeen = new ConcurrentHashMap<>();
  private final List<String> finished = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @Test
  void independentStepsRunSideBySideInSessionsOfTheirOwn() {
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    List<PipelineStep> steps = List.of(
        step("first", List.of(), new MeetingJob("first", "2", null)),
        step("left", List.of("first"), new MeetingJob("left", "3", bothRunning)),
        step("right", List.of("first"), new MeetingJob("right", "5", bothRunning)),
        step("last", List.of("left", "right"), new MeetingJob("last", "7", null)));
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));

    assertEquals(0, PipelineHarness.run(jobs, config -> steps), jobs.stdout() + jobs.stderr());
    // Each of the two met the other inside its run (a barrier neither could pass alone) ...
    assertEquals(List.of("first", "last"), List.of(finished.get(0), finished.get(3)));
    // ... and kept its own SQL settings while the other changed its.
    assertEquals("3", partitionsSeen.get("left"));
    assertEquals("5", partitionsSeen.get("right"));
    assertNotSame(sessions.get("left"), sessions.get("right"));
    assertTrue(jobs.stdout().contains("pipeline succeeded"), jobs.stdout());
  }

  @Test
  void oneParallelStepRunsEveryStepInTurn() throws IOException {
    Path conf = dir.resolve("serial.conf");
    Files.writeString(conf, "shoplake.pipeline.parallel-steps = 1\n");
    List<PipelineStep> steps = List.of(
        step("a", List.of(), new MeetingJob("a", "3", null)),
        step("b", List.of(), new MeetingJob("b", "5", null)),
        step("c", List.of(), new MeetingJob("c", "7", null)));
    JobHarness jobs = new JobHarness(new TestLake(dir.resolve("lake")));

    assertEquals(0, PipelineHarness.run(jobs, config -> steps, "--config-file", conf.toString()),
        jobs.stdout() + jobs.stderr());
    assertEquals(List.of("a", "b", "c"), finished);
    assertEquals(1, sessions.values().stream().distinct().count(), "one session for steps run in turn");
  }

  @Test
  void aRawZoneAtTheLimitRunsEveryStepInTurn() throws IOException {
    Path conf = dir.resolve("limit.conf");
    Files.writeString(conf, "shoplake.pipeline.parallel-max-input-bytes = 10 B\n");
    TestLake lake = new TestLake(dir.resolve("lake"));
    lake.writeRaw("categories", "2025-01-01", "c.csv", "category_id,category_name,parent_category_id,department",
        List.of("C1,Cat,,Dept"));
    List<PipelineStep> steps = List.of(
        step("a", List.of(), new MeetingJob("a", "3", null)),
        step("b", List.of(), new MeetingJob("b", "5", null)));
    JobHarness jobs = new JobHarness(lake);

    assertEquals(0, PipelineHarness.run(jobs, config -> steps, "--config-file", conf.toString()),
        jobs.stdout() + jobs.stderr());
    assertEquals(List.of("a", "b"), finished);
    assertEquals(1, sessions.values().stream().distinct().count(), "one session for steps run in turn");
  }

  private static PipelineStep step(String name, List<String> dependsOn, LakeJob job) {
    return new PipelineStep(name, job, List.of(), dependsOn);
  }

  /**
   * Sets its own shuffle partitions, waits at {@code meeting} (if any) for the other job of its stage, then
   * records what its session says: another job's setting in the same session would show here.
   */
  private final class MeetingJob implements LakeJob {
    private final String name;
    private final String partitions;
    private final CyclicBarrier meeting;

    MeetingJob(String name, String partitions, CyclicBarrier meeting) {
      this.name = name;
      this.partitions = partitions;
      this.meeting = meeting;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public JobResult run(JobContext context) {
      SparkSession spark = context.spark();
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
      if (meeting != null) {
        try {
          meeting.await(30, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.BrokenBarrierException e) {
          throw new IllegalStateException(name + " ran alone: its stage's other step did not run beside it", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      sessions.put(name, spark);
      partitionsSeen.put(name, spark.conf().get("spark.sql.shuffle.partitions"));
      finished.add(name);
      return JobResult.nothingToDo(Map.of(), List.of());
    }
  }
}

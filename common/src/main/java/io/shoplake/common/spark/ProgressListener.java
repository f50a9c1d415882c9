package io.shoplake.common.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the Spark jobs of a run with the stage description the lake job set ({@code JobContext.stage}):
 * each start and end at DEBUG, and at INFO the end of any that took {@value #SLOW_MS} ms or more, with
 * its task count and duration. The stage lines themselves are logged at INFO by the job, so a long run
 * shows which job and stage it is in without a line per small Spark job. Registered once per
 * SparkContext; costs nothing on executors.
 */
public final class ProgressListener extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.shoplake.progress");
  private static final Map<String, Boolean> REGISTERED = new ConcurrentHashMap<>();

  static final long SLOW_MS = 5_000;

  private final Map<Integer, Integer> taskCounts = new ConcurrentHashMap<>();
  private final Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
  private final Map<Integer, String> descriptions = new ConcurrentHashMap<>();

  private ProgressListener() {}

  /** Adds the listener to {@code spark}'s context unless it already has it. */
  public static void registerOnce(SparkSession spark) {
    String id = spark.sparkContext().applicationId();
    if (REGISTERED.putIfAbsent(id, Boolean.TRUE) == null) {
      spark.sparkContext().addSparkListener(new ProgressListener());
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String description = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
    if (description == null) {
      return;
    }
    int tasks = 0;
    for (int i = 0; i < start.stageInfos().size(); i++) {
      tasks += start.stageInfos().apply(i).numTasks();
    }
    startedAt.put(start.jobId(), start.time());
    descriptions.put(start.jobId(), description);
    taskCounts.put(start.jobId(), tasks);
    LOG.debug("{} (spark job {}, {} tasks) ...", description, start.jobId(), tasks);
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    Long begin = startedAt.remove(end.jobId());
    String description = descriptions.remove(end.jobId());
    Integer tasks = taskCounts.remove(end.jobId());
    if (begin != null) {
      long millis = end.time() - begin;
      if (millis >= SLOW_MS) {
        LOG.info("{}: spark job {} ({} tasks) took {} s", description, end.jobId(), tasks, millis / 1000);
      } else {
        LOG.debug("{}: spark job {} done in {} ms", description, end.jobId(), millis);
      }
    }
  }
}

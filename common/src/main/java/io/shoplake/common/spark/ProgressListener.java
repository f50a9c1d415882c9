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
 * Logs each Spark job of a run as it starts and ends, with the stage description the lake job set
 * ({@code JobContext.stage}), its task count and duration: a long run shows what it is doing. Costs
 * one log line per Spark job, on the driver; registered once per SparkContext.
 */
public final class ProgressListener extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.shoplake.progress");
  private static final Map<String, Boolean> REGISTERED = new ConcurrentHashMap<>();

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
    LOG.info("{} (spark job {}, {} tasks) ...", description, start.jobId(), tasks);
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    Long begin = startedAt.remove(end.jobId());
    String description = descriptions.remove(end.jobId());
    if (begin != null) {
      LOG.info("{} (spark job {}) done in {} ms", description, end.jobId(), end.time() - begin);
    }
  }
}

package io.shoplake.jobs.pipeline;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.job.ErrorMessages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the local pipeline's stages ({@link StepGraph#stages()}): a stage of several branches side by side,
 * each branch its steps in order on a thread of its own and in a session of its own
 * ({@link SparkSession#newSession}: the one SparkContext, its executors and cache, but its own SQL settings,
 * which a job sizes to its input); every other stage, and every stage when side by side is off, one step
 * after another on the caller's thread and session, in the steps' list order.
 *
 * <p>Side by side when {@code shoplake.pipeline.parallel-steps} is above 1 and the raw zone holds less than
 * {@code pipeline.parallel-max-input-bytes}: on a small input a run is the driver planning one query after
 * another on one core, and branches side by side plan on two; on a large one the tasks keep every core busy
 * and steps side by side only contend for cores and memory. Decided at the first stage of several branches,
 * after validate, whose run has applied the lake's file system settings. Cost: one recursive listing of
 * {@code raw/} (a content summary), once.
 */
final class StageRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("io.shoplake.progress");

  /** Runs one step, by name, in a session. */
  @FunctionalInterface
  interface StepRun {
    void run(String step, SparkSession session);
  }

  private final SparkSession spark;
  private final LakeConfig config;
  private final String lakeRoot;
  private final List<String> order;
  private ExecutorService pool;
  private Boolean sideBySide;

  /**
   * @param lakeRoot the lake root the steps run on (the argument, else the config's)
   * @param order every step's name, in the graph's list order
   */
  StageRunner(SparkSession spark, LakeConfig config, String lakeRoot, List<String> order) {
    this.spark = spark;
    this.config = config;
    this.lakeRoot = lakeRoot;
    this.order = List.copyOf(order);
  }

  /**
   * Runs {@code stage} and returns when every step of it has ended. An exception that escapes a step (a
   * failed job is a result, not an exception) is rethrown once all branches ended.
   */
  void run(List<List<String>> stage, StepRun stepRun) {
    if (stage.size() == 1 || !sideBySide()) {
      stage.stream().flatMap(List::stream).sorted(Comparator.comparingInt(order::indexOf))
          .forEach(step -> stepRun.run(step, spark));
      return;
    }
    List<Future<?>> running = new ArrayList<>();
    for (List<String> branch : stage) {
      running.add(pool.submit(() -> {
        SparkSession session = spark.newSession();
        SparkSession.setActiveSession(session);
        try {
          branch.forEach(step -> stepRun.run(step, session));
        } finally {
          SparkSession.clearActiveSession();
        }
      }));
    }
    RuntimeException escaped = null;
    for (Future<?> branch : running) {
      try {
        branch.get();
      } catch (ExecutionException e) {
        if (escaped == null) {
          Throwable cause = e.getCause();
          escaped = cause instanceof RuntimeException r ? r
              : new IllegalStateException("A pipeline step failed: " + ErrorMessages.oneLine(cause), cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while the pipeline's steps ran", e);
      }
    }
    if (escaped != null) {
      throw escaped;
    }
  }

  private boolean sideBySide() {
    if (sideBySide == null) {
      sideBySide = decide();
      if (sideBySide) {
        pool = Executors.newFixedThreadPool(config.pipelineParallelSteps(), branch -> {
          Thread thread = new Thread(branch, "pipeline-branch");
          thread.setDaemon(true);
          return thread;
        });
      }
    }
    return sideBySide;
  }

  private boolean decide() {
    if (config.pipelineParallelSteps() <= 1) {
      return false;
    }
    long limit = config.pipelineParallelMaxInputBytes();
    if (limit == 0) {
      LOG.info("pipeline: independent steps side by side, up to {}", config.pipelineParallelSteps());
      return true;
    }
    Path raw = new Path(lakeRoot, "raw");
    long bytes;
    try {
      FileSystem fs = raw.getFileSystem(spark.sparkContext().hadoopConfiguration());
      bytes = fs.exists(raw) ? fs.getContentSummary(raw).getLength() : 0;
    } catch (IOException | RuntimeException e) {
      LOG.info("pipeline: steps one after another (cannot measure {}: {})", raw, ErrorMessages.oneLine(e));
      return false;
    }
    boolean small = bytes < limit;
    LOG.info("pipeline: raw/ holds {} MiB, {} pipeline.parallel-max-input-bytes ({} MiB): {}", mebibytes(bytes),
        small ? "under" : "not under", mebibytes(limit),
        small ? "independent steps side by side, up to " + config.pipelineParallelSteps() : "steps one after another");
    return small;
  }

  private static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}

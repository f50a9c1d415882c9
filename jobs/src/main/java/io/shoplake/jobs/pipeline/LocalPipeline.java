package io.shoplake.jobs.pipeline;

import io.shoplake.common.catalog.CatalogJob;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.job.ErrorMessages;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.TransientRetry;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.quality.QualityJob;
import io.shoplake.common.validation.FileValidation;
import io.shoplake.jobs.JobCatalog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole flow in one SparkSession: with {@code --extract-stg-core}, first jdbc-extract (the copy of
 * stg_core's tables, on which no other step depends); then validate (file checks: rejected files go to
 * quarantine/_files/ and are not read), the raw-zone jobs (transactions, products, reviews,
 * clickstream), then quality, master-merge, the catalog, then the export of the curated tables to JSON
 * Lines. The steps and their order are not listed here: they are derived from the job catalog, each job
 * declaring the data it needs, comes after and produces ({@link FlowGraph}). Each step is a normal job run
 * (its own manifest under {@code _runs/<job>/}); a failing step stops the steps that depend on it, with the
 * reason, while independent steps still run. Prints one summary table at the end, in step order; exit code
 * 0 only when every step succeeded.
 *
 * <p>The steps run stage by stage ({@link StepGraph#stages()}), the branches of a stage side by side, up to
 * {@code shoplake.pipeline.parallel-steps} at once and only for a small raw zone, as the state machine runs
 * them: each concurrent step in a session of its own over the one SparkContext ({@link StageRunner}).
 *
 * <p>Arguments are the jobs' ({@code --lake-root}, {@code --env}, {@code --run-date}, ...), passed to
 * every step. Arguments, configuration and the PII key are checked once, before Spark starts.
 */
public final class LocalPipeline {
  public static final String NAME = "pipeline";
  private static final Logger LOG = LoggerFactory.getLogger("io.shoplake.progress");

  private final JobRunner runner;
  private final PrintStream out;
  private final PrintStream err;

  public LocalPipeline(JobRunner runner, PrintStream out, PrintStream err) {
    this.runner = runner;
    this.out = out;
    this.err = err;
  }

  /** The flag that adds jdbc-extract (the copy of stg_core's tables) as the first step. */
  public static final String EXTRACT_STG_CORE = "extract-stg-core";

  /** The steps, in order, for {@code config}: every job's {@code flow} in the catalog, as a graph. */
  public static List<PipelineStep> steps(LakeConfig config) {
    return steps(config, false);
  }

  /**
   * The steps, in order, for {@code config}; jdbc-extract first when {@code extractStgCore}. This is the
   * step graph ({@link StepGraph}): the state machine of scripts/deploy-glue.sh is built from it too.
   */
  public static List<PipelineStep> steps(LakeConfig config, boolean extractStgCore) {
    return FlowGraph.steps(JobCatalog.jobs(), config, extractStgCore ? Set.of(EXTRACT_STG_CORE) : Set.of());
  }

  /** The options the pipeline takes: its own, and any step's, since it passes its arguments to every step. */
  public static List<JobOption> options(List<PipelineStep> steps, LakeConfig config) {
    List<JobOption> options = new ArrayList<>(List.of(JobOption.flag(EXTRACT_STG_CORE)));
    steps.forEach(step -> options.addAll(step.job().options(config)));
    return options;
  }

  /** One line of the summary. */
  public record StepResult(String step, String status, long rowsIn, long rowsOut, long rejected, long skipped,
      double seconds, String note, List<String> details) {}

  /** Runs the pipeline; returns the process exit code. */
  public int run(String... args) {
    return run(config -> steps(config, extractStgCore(JobArguments.parse(args))), args);
  }

  /** Runs {@code stepsFor(config)} as the pipeline (tests give their own steps); returns the exit code. */
  public int run(java.util.function.Function<LakeConfig, List<PipelineStep>> stepsFor, String... args) {
    JobRunner.Launch launch;
    try {
      // The pipeline's own flag, checked before anything starts (stepsFor reads it again).
      extractStgCore(JobArguments.parse(args));
      launch = runner.prepare(true, config -> stepsFor.apply(config).stream()
          .anyMatch(step -> step.job().needsStgCore(config)), args);
      // Every step's options, with the arguments it will get, before Spark starts.
      List<PipelineStep> steps = stepsFor.apply(launch.config());
      for (PipelineStep step : steps) {
        List<String> stepArgs = new ArrayList<>(Arrays.asList(args));
        stepArgs.addAll(step.arguments());
        JobOption.checkAll(step.job().options(launch.config()), JobArguments.parse(stepArgs.toArray(new String[0])));
      }
      List<JobOption> options = options(steps, launch.config());
      refuseOptionsOfStepsNotRun(options, launch);
      JobOption.checkKnown(NAME, options, launch.arguments());
    } catch (UsageException e) {
      err.println("ERROR " + NAME + ": " + ErrorMessages.oneLine(e));
      return JobOutcome.USAGE;
    }
    JobArguments arguments = launch.arguments();
    LakeConfig config = launch.config();
    long started = System.nanoTime();
    SparkSession spark;
    try {
      spark = JobRunner.startSpark(NAME, config);
    } catch (UsageException e) {
      err.println("ERROR " + NAME + ": " + ErrorMessages.oneLine(e));
      return JobOutcome.USAGE;
    }
    StepGraph graph = StepGraph.of(stepsFor.apply(config));
    List<PipelineStep> steps = graph.steps();
    Map<String, StepResult> results = new ConcurrentHashMap<>();
    AtomicReference<String> unusableAt = new AtomicReference<>();
    Map<String, PipelineStep> byName = new LinkedHashMap<>();
    steps.forEach(s -> byName.put(s.name(), s));
    String lakeRoot = arguments.lakeRoot().orElse(config.lakeRoot());
    try (StageRunner stages = new StageRunner(spark, config, lakeRoot, List.copyOf(byName.keySet()))) {
      for (List<List<String>> stage : graph.stages()) {
        stages.run(stage, (name, session) -> {
          if (unusableAt.get() == null) { // else another branch found the lake unusable: marked not run below
            PipelineStep step = byName.get(name);
            results.put(name, runStep(step, steps.indexOf(step) + 1, steps.size(), session, results, launch, args,
                unusableAt));
          }
        });
        if (unusableAt.get() != null) {
          break;
        }
      }
    }
    Map<String, StepResult> ordered = new LinkedHashMap<>();
    for (PipelineStep step : steps) {
      ordered.put(step.name(), results.getOrDefault(step.name(), new StepResult(step.name(), "not run", 0, 0, 0, 0, 0,
          "not run: the lake cannot be used (see " + unusableAt.get() + ")", List.of())));
    }
    printSummary(ordered, config, arguments, (System.nanoTime() - started) / 1e9);
    if (unusableAt.get() != null) {
      // Every later step would fail the same way on the same lake root: stopped there, exit 2.
      return JobOutcome.USAGE;
    }
    return ordered.values().stream().allMatch(r -> r.status().equals("succeeded")) ? JobOutcome.OK : JobOutcome.FAILED;
  }

  /**
   * Runs {@code step} in {@code session} unless a step it depends on did not succeed, retrying a transient
   * failure; its line of the summary. Sets {@code unusableAt} to the step's name when the step found that
   * the lake root cannot be used.
   */
  private StepResult runStep(PipelineStep step, int index, int total, SparkSession session,
      Map<String, StepResult> results, JobRunner.Launch launch, String[] args, AtomicReference<String> unusableAt) {
    Optional<String> blocker = step.dependsOn().stream()
        .filter(d -> !results.containsKey(d) || !results.get(d).status().equals("succeeded"))
        .findFirst();
    if (blocker.isPresent()) {
      String note = "not run: " + blocker.get() + " " + results.get(blocker.get()).status();
      LOG.warn("[{}/{}] {} {}", index, total, step.name(), note);
      return new StepResult(step.name(), "not run", 0, 0, 0, 0, 0, note, List.of());
    }
    LOG.info("[{}/{}] {} ...", index, total, step.name());
    List<String> stepArgs = new ArrayList<>(Arrays.asList(args));
    stepArgs.addAll(step.arguments());
    LakeConfig config = launch.config();
    TransientRetry.Result run = TransientRetry.run("[" + index + "/" + total + "] " + step.name(),
        config::pipelineRetry, () -> {
          try {
            JobArguments parsed = JobArguments.parse(stepArgs.toArray(new String[0]));
            return runner.run(step.job(), session, parsed, config,
                step.job().needsPiiKey() ? launch.piiKey() : Optional.empty(),
                step.job().needsStgCore(config) ? launch.stgCore() : Optional.empty());
          } catch (UsageException e) {
            err.println("ERROR " + step.name() + ": " + ErrorMessages.oneLine(e));
            return new JobOutcome(JobOutcome.USAGE, Optional.empty(), Optional.empty());
          }
        });
    if (lakeUnusable(run.outcome())) {
      unusableAt.compareAndSet(null, step.name());
    }
    return toResult(step.name(), run.outcome(), run.attempts());
  }

  /**
   * Refuses, with why, an option of jdbc-extract given to a pipeline that does not run it ({@code --full-reload}
   * without {@code --extract-stg-core}): the general "takes no such argument" would not say that the flag is
   * what is missing.
   */
  private static void refuseOptionsOfStepsNotRun(List<JobOption> options, JobRunner.Launch launch) {
    if (launch.arguments().launchedByGlue()) {
      return;
    }
    List<String> taken = JobOption.knownKeys(options);
    List<String> withExtract = JobOption.knownKeys(options(steps(launch.config(), true), launch.config()));
    for (String key : launch.arguments().keys()) {
      if (!taken.contains(key) && withExtract.contains(key)) {
        throw new UsageException("Cannot use --" + key + " without --" + EXTRACT_STG_CORE + ": it is an option of"
            + " jdbc-extract, which the pipeline runs only with --" + EXTRACT_STG_CORE);
      }
    }
  }

  private static boolean extractStgCore(JobArguments arguments) {
    JobOption.flag(EXTRACT_STG_CORE).check(arguments);
    return JobOption.flagValue(arguments, EXTRACT_STG_CORE);
  }

  /**
   * A step that could not even record its run, for a reason of configuration (a bucket that does not exist,
   * credentials the store refuses): the lake root itself is wrong.
   */
  private static boolean lakeUnusable(JobOutcome outcome) {
    return outcome.exitCode() == JobOutcome.USAGE && outcome.manifest().isPresent() && outcome.manifestPath().isEmpty();
  }

  private static StepResult toResult(String step, JobOutcome outcome, int attempts) {
    if (outcome.manifest().isEmpty()) {
      return new StepResult(step, "failed", 0, 0, 0, 0, 0, "did not start (see the error above)", List.of());
    }
    RunManifest m = outcome.manifest().get();
    String note = m.getError() != null ? m.getError() : outcome.manifestPath().orElse("");
    if (attempts > 1) {
      note = note + " (" + attempts + " attempts)";
    }
    // The verdicts of validate and quality, and what the catalog step did not do, are the point of their
    // steps: listed under the table.
    List<String> details = new ArrayList<>(step.equals(FileValidation.NAME)
        ? m.getWarnings().stream().filter(w -> w.startsWith("rejected ")).toList()
        : step.equals(QualityJob.NAME) || step.equals(CatalogJob.NAME) ? m.getWarnings() : List.of());
    if (attempts > 1 && m.getError() == null) {
      details.add("succeeded at attempt " + attempts + " after a transient failure");
    }
    return new StepResult(step, m.getStatus(), m.getRowsRead(), m.getRowsWritten(), m.getRowsRejected(),
        m.getRowsSkipped(), m.getDurationSeconds() == null ? 0 : m.getDurationSeconds(), note, details);
  }

  private void printSummary(Map<String, StepResult> results, LakeConfig config, JobArguments arguments,
      double seconds) {
    out.println();
    long failed = results.values().stream().filter(r -> !r.status().equals("succeeded")).count();
    out.printf(Locale.ROOT, "pipeline %s in %.1f s (%d steps, %d not succeeded)%n",
        failed == 0 ? "succeeded" : "FAILED", seconds, results.size(), failed);
    out.printf("%-34s %-10s %9s %9s %9s %9s %8s%n", "step", "status", "rows in", "rows out", "rejected", "skipped",
        "seconds");
    for (StepResult r : results.values()) {
      out.printf(Locale.ROOT, "%-34s %-10s %9d %9d %9d %9d %8.1f%n", r.step(), r.status(), r.rowsIn(), r.rowsOut(),
          r.rejected(), r.skipped(), r.seconds());
    }
    results.values().stream().filter(r -> !r.status().equals("succeeded"))
        .forEach(r -> out.println("  " + r.step() + ": " + r.note()));
    results.values().forEach(r -> r.details().forEach(d -> out.println("  " + r.step() + ": " + d)));
    if (results.containsKey(FileValidation.NAME)) {
      out.println("  (validate counts files: checked, accepted, rejected to quarantine/_files/)");
    }
    if (results.containsKey(QualityJob.NAME)) {
      out.println("  (quality counts checks: evaluated, passed, failed by severity; metrics in _dq/<dataset>/)");
    }
    String root = arguments.lakeRoot().orElse(config.lakeRoot());
    out.println();
    out.println("Look at (under " + root + "):");
    out.println("  processed/<dataset>/year=/month=/day=/   cleaned, typed Parquet");
    out.println("  curated/<table>/                         sales, daily_product_performance, customer_summary,"
        + " traffic_hourly, conversion_funnel_daily");
    out.println("  exports/<table>/                         the curated tables as JSON Lines");
    out.println("  quarantine/<dataset>/date=/              rejected rows with reject_reason");
    out.println("  quarantine/_files/<dataset>/date=/       rejected whole files + <file>.reason.json");
    out.println("  _dq/<dataset>/<time>-<run-id>.json       quality metrics and check results per run");
    out.println("  _runs/<job>/<run-id>.json                what each run did");
  }
}

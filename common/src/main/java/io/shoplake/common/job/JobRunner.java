package io.shoplake.common.job;

import io.shoplake.common.bookmark.BookmarkOption;
import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.bookmark.JobLock;
import io.shoplake.common.catalog.CatalogRegistration;
import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.jdbc.StgCoreConnection;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.manifest.ManifestStore;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.manifest.RunStatus;
import io.shoplake.common.pii.AwsSecretsManagerReader;
import io.shoplake.common.pii.PiiKey;
import io.shoplake.common.pii.PiiKeyResolver;
import io.shoplake.common.pii.SecretReader;
import io.shoplake.common.spark.ObjectStoreSettings;
import io.shoplake.common.spark.ProgressListener;
import io.shoplake.common.spark.SparkSessions;
import io.shoplake.common.state.StateCommit;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches a {@link LakeJob}: arguments -> config -> PII key -> session -> run -> manifest -> exit
 * code. Argument, config and key problems are found before Spark starts (exit 2). A failure while
 * running is recorded in the manifest (status failed, the one-line cause and the stack trace) and
 * printed as one line on stderr (exit 1). Success prints a short summary on stdout (exit 0).
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, String> environment;
  private final Function<LakeConfig, SecretReader> secrets;
  private final PrintStream out;
  private final PrintStream err;
  private Runnable beforeCommit = () -> { };

  /**
   * @param environment the process environment (where the PII key variable is looked up)
   * @param secrets the secret reader for a loaded configuration (AWS Secrets Manager in production)
   */
  public JobRunner(Map<String, String> environment, Function<LakeConfig, SecretReader> secrets, PrintStream out,
      PrintStream err) {
    this.environment = environment;
    this.secrets = secrets;
    this.out = out;
    this.err = err;
  }

  /**
   * This runner, running {@code hook} after a job's outputs and checks and before its state is
   * committed: the tests inject a failure there.
   */
  public JobRunner beforeCommit(Runnable hook) {
    this.beforeCommit = hook;
    return this;
  }

  /** The runner of a real launch: process environment, stdout and stderr. */
  public static JobRunner forProcess() {
    return new JobRunner(System.getenv(), config -> new AwsSecretsManagerReader(config.aws()), System.out, System.err);
  }

  /** Runs {@code job}; the session is the active one or a new one. */
  public JobOutcome run(LakeJob job, String... args) {
    Launch launch;
    SparkSession spark;
    try {
      launch = prepare(job.needsPiiKey(), job::needsStgCore, args);
      JobOption.checkAll(job.options(launch.config()), launch.arguments());
      JobOption.checkKnown(job.name(), job.options(launch.config()), launch.arguments());
      spark = startSpark(job.name(), launch.config());
    } catch (UsageException e) {
      err.println("ERROR " + job.name() + ": " + ErrorMessages.oneLine(e));
      return new JobOutcome(JobOutcome.USAGE, Optional.empty(), Optional.empty());
    }
    return run(job, spark, launch.arguments(), launch.config(), launch.piiKey(), launch.stgCore());
  }

  /**
   * The session {@code name} runs in, started now or joined. A session that cannot start (a heap too small for
   * Spark, a master URL it cannot reach, an address it cannot bind, a setting it refuses) is a {@link
   * UsageException}: the job did not start and nothing was read or written, so exit 2 and one line, not the
   * stack trace Spark's builder throws out of {@code main}.
   */
  public static SparkSession startSpark(String name, LakeConfig config) {
    try {
      return SparkSessions.getOrCreate(name, config);
    } catch (Exception | Error e) { // Exception: Scala code throws checked ones (an IOException of a full disk)
      String cause = ErrorMessages.oneLine(e);
      String hint = cause.contains("INVALID_DRIVER_MEMORY")
          ? " (scripts/run-job.sh and scripts/run-local.sh set it from SPARK_DRIVER_MEMORY, default 4g)" : "";
      throw new UsageException("Cannot start Spark: " + cause + hint, e);
    }
  }

  /** What a launch needs before Spark starts: validated arguments and configuration, and the PII key. */
  public record Launch(JobArguments arguments, LakeConfig config, Optional<PiiKey> piiKey,
      Optional<StgCoreConnection> stgCore) {}

  /**
   * Parses and validates {@code args}, loads the configuration and, when {@code needsPiiKey}, resolves
   * the key, and when {@code needsStgCore} holds for the configuration, the stg_core connection
   * settings: everything that can be wrong without touching data, so it fails before Spark starts.
   *
   * @throws UsageException naming what is wrong
   */
  public Launch prepare(boolean needsPiiKey, java.util.function.Predicate<LakeConfig> needsStgCore, String... args) {
    JobArguments arguments = JobArguments.parse(args);
    LakeConfig config = ConfigLoader.load(arguments);
    Optional<StgCoreConnection> stgCore = needsStgCore.test(config)
        ? Optional.of(StgCoreConnection.resolve(config.stgCore(), environment, secrets.apply(config)))
        : Optional.empty();
    return new Launch(arguments, config, piiKey(needsPiiKey, config), stgCore);
  }

  /**
   * The PII key when {@code needed}: from the environment variable, else the secret, else (local only)
   * the development key; a {@link UsageException} when none is configured.
   */
  private Optional<PiiKey> piiKey(boolean needed, LakeConfig config) {
    return needed
        ? Optional.of(PiiKeyResolver.resolve(config.pii(), config.environment(), environment, secrets.apply(config)))
        : Optional.empty();
  }

  /** Runs {@code job} in {@code spark} with already validated arguments and config. */
  public JobOutcome run(LakeJob job, SparkSession spark, JobArguments arguments, LakeConfig config,
      Optional<PiiKey> piiKey) {
    return run(job, spark, arguments, config, piiKey, Optional.empty());
  }

  /** Runs {@code job} in {@code spark} with already validated arguments, config and connections. */
  public JobOutcome run(LakeJob job, SparkSession spark, JobArguments arguments, LakeConfig config,
      Optional<PiiKey> piiKey, Optional<StgCoreConnection> stgCore) {
    SparkSessions.applyJobSettings(spark, config);
    ObjectStoreSettings.Applied fileSystem = ObjectStoreSettings.apply(spark.sparkContext().hadoopConfiguration(),
        config.aws(), environment);
    LOG.debug("{}: lake file system settings: {}", job.name(), fileSystem.describe());
    Instant startedAt = Instant.now();
    String runId = arguments.glueJobRunId().orElseGet(() -> newRunId(startedAt));
    LakePaths paths;
    try {
      paths = new LakePaths(qualify(spark, config.lakeRoot()));
    } catch (UsageException e) {
      err.println("ERROR " + job.name() + ": " + ErrorMessages.oneLine(e));
      return new JobOutcome(JobOutcome.USAGE, Optional.empty(), Optional.empty());
    }
    ManifestStore store = new ManifestStore(paths, spark.sparkContext().hadoopConfiguration());

    RunManifest manifest = new RunManifest();
    manifest.setJob(job.name());
    manifest.setRunId(runId);
    arguments.glueJobName().ifPresent(manifest::setGlueJobName);
    manifest.setEnv(config.environment());
    manifest.setStatus(RunStatus.SUBMITTED.label());
    manifest.setStartedAt(startedAt.toString());
    manifest.setLakeRoot(paths.root());
    arguments.runDate().ifPresent(d -> manifest.setRunDate(d.toString()));
    String manifestPath;
    try {
      manifestPath = store.write(manifest);
    } catch (RuntimeException | FSError e) {
      // The lake cannot be written at all (a missing bucket, refused credentials, an endpoint down): the
      // manifest stays in memory, with the kind of failure, for the pipeline's retry decision.
      String cause = ErrorMessages.oneLine(e);
      FailureKind kind = FailureKind.of(e);
      manifest.setError(cause);
      manifest.setErrorKind(kind.label());
      finish(manifest, RunStatus.FAILED, startedAt);
      err.println("ERROR " + job.name() + ": " + cause);
      return new JobOutcome(kind == FailureKind.USAGE ? JobOutcome.USAGE : JobOutcome.FAILED, Optional.of(manifest),
          Optional.empty());
    }
    LOG.info("{} run {} started (env {}, lake {})", job.name(), runId, config.environment(), paths.root());
    ProgressListener.registerOnce(spark);
    spark.sparkContext().setJobGroup(runId, job.name() + " " + runId, false);

    org.apache.hadoop.conf.Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    JobLock lock = null;
    try {
      lock = JobLock.acquire(job.name(), paths.state(job.name()), runId, config.lockLease(), hadoopConf);
      FileBookmark bookmark = FileBookmark.open(job.name(), paths, hadoopConf, BookmarkOption.of(arguments),
          BookmarkOption.rewindTo(arguments));
      io.shoplake.common.state.PendingState pending = new io.shoplake.common.state.PendingState();
      JobContext context = new JobContext(spark, config, arguments, job.name(), runId, startedAt, paths, piiKey,
          stgCore, bookmark, pending);
      manifest.setStatus(RunStatus.RUNNING.label());
      store.write(manifest);
      JobResult result = job.run(context);
      record(manifest, result);
      if (result.rowsRead() != result.rowsWritten() + result.rowsRejected() + result.rowsSkipped()) {
        throw new IllegalStateException("Cannot account for every row: read " + result.rowsRead()
            + " but written " + result.rowsWritten() + " + rejected " + result.rowsRejected()
            + " + skipped " + result.rowsSkipped());
      }
      // The output is written: only now is it safe to remember its files as processed, if this run
      // still holds its lock (a run that stalled past its lease may have been taken over).
      lock.confirmHeld();
      // The tables it wrote, in the session's Hive-compatible catalog if it has one (Glue's Data Catalog):
      // before the state commit, so a run whose tables could not be registered is redone by its rerun.
      List<String> registered = CatalogRegistration.register(spark, config.environment(), paths,
          result.outputs().values(), result.tables());
      if (!registered.isEmpty()) {
        manifest.getMetrics().put("catalog", registered);
      }
      // The one place state is committed: the bookmark, then what the job returned (watermarks,
      // fingerprints). Everything before this point left it as it was.
      beforeCommit.run();
      if (job.keepsBookmark()) {
        bookmark.commit(runId, result.inputFiles());
        manifest.getMetrics().put("bookmark", bookmark.describe());
      }
      List<StateCommit> commits = new java.util.ArrayList<>(result.state());
      commits.addAll(pending.all());
      for (StateCommit commit : commits) {
        commit.commit();
      }
      if (!commits.isEmpty()) {
        manifest.getMetrics().put("state_committed", commits.stream().map(StateCommit::describe).distinct().toList());
      }
      finish(manifest, RunStatus.SUCCEEDED, startedAt);
      store.write(manifest);
      printSummary(manifest, manifestPath);
      return new JobOutcome(JobOutcome.OK, Optional.of(manifest), Optional.of(manifestPath));
    } catch (Exception | Error e) {
      // Exception, not RuntimeException: Scala code (Spark's AnalysisException) throws checked exceptions. Error
      // too: Hadoop's local file system reports a failed write (a full disk) as FSError, a jar conflict is a
      // LinkageError, and memory runs out; each is this run's failure, recorded and said in one line.
      String cause = ErrorMessages.oneLine(e);
      if (e instanceof DataCheckFailure failure && failure.result() != null) {
        record(manifest, failure.result());
      }
      // The stack trace goes to the manifest (error_detail) and the debug log; stderr gets one line.
      LOG.debug("{} run {} failed", job.name(), runId, e);
      manifest.setError(cause);
      manifest.setErrorDetail(ErrorMessages.stackTrace(e));
      FailureKind kind = FailureKind.of(e);
      manifest.setErrorKind(kind.label());
      if (e instanceof DataCheckFailure failure && failure.result() != null) {
        // What was measured is the point of such a run: printed as for a run that succeeded.
        finish(manifest, RunStatus.FAILED, startedAt);
        printSummary(manifest, manifestPath);
      }
      finish(manifest, RunStatus.FAILED, startedAt);
      try {
        store.write(manifest);
      } catch (RuntimeException | FSError writeError) {
        LOG.error("Cannot record the failure in {}: {}", manifestPath, ErrorMessages.oneLine(writeError));
      }
      err.println("ERROR " + job.name() + " run " + runId + " failed: " + cause + " (manifest: " + manifestPath + ")");
      // A job-specific argument found wrong inside the job is still a usage error: exit 2, not 1.
      int code = e instanceof UsageException || kind == FailureKind.USAGE ? JobOutcome.USAGE
          : JobOutcome.FAILED;
      return new JobOutcome(code, Optional.of(manifest), Optional.of(manifestPath));
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (RuntimeException | FSError e) {
          LOG.error("{}", ErrorMessages.oneLine(e));
        }
      }
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().setJobDescription(null);
    }
  }

  private static void record(RunManifest manifest, JobResult result) {
    manifest.setInputFiles(new ArrayList<>(result.inputFiles().stream()
        .map(f -> new RunManifest.InputFileEntry(f.relativePath(), f.sizeBytes(), f.rawDate()))
        .toList()));
    manifest.setRowsRead(result.rowsRead());
    manifest.setRowsWritten(result.rowsWritten());
    manifest.setRowsRejected(result.rowsRejected());
    manifest.setRejectedByReason(new TreeMap<>(result.rejectedByReason()));
    manifest.setRowsSkipped(result.rowsSkipped());
    manifest.setSkippedByReason(new TreeMap<>(result.skippedByReason()));
    manifest.setOutputPartitions(new ArrayList<>(result.outputPartitions()));
    manifest.getOutputs().putAll(result.outputs());
    manifest.getMetrics().putAll(result.metrics());
    manifest.getWarnings().addAll(result.warnings());
  }

  private static void finish(RunManifest manifest, RunStatus status, Instant startedAt) {
    Instant end = Instant.now();
    manifest.setStatus(status.label());
    manifest.setEndedAt(end.toString());
    manifest.setDurationSeconds(Duration.between(startedAt, end).toMillis() / 1000.0);
  }

  /** A run's summary lines, printed in one piece: the local pipeline runs steps side by side on one stdout. */
  private void printSummary(RunManifest m, String manifestPath) {
    StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "%s run %s %s in %.1f s: rows read %d,"
        + " written %d, rejected %d%n", m.getJob(), m.getRunId(), m.getStatus(), m.getDurationSeconds(),
        m.getRowsRead(), m.getRowsWritten(), m.getRowsRejected()));
    if (!m.getRejectedByReason().isEmpty()) {
      lines.append("  rejected by reason: ").append(m.getRejectedByReason()).append(System.lineSeparator());
    }
    if (!m.getSkippedByReason().isEmpty()) {
      lines.append("  skipped (not errors): ").append(m.getSkippedByReason()).append(System.lineSeparator());
    }
    m.getOutputs().forEach((name, location) -> lines.append("  ").append(name).append(": ").append(location)
        .append(System.lineSeparator()));
    lines.append("  manifest: ").append(manifestPath).append(System.lineSeparator());
    m.getWarnings().forEach(w -> lines.append("  warning: ").append(w).append(System.lineSeparator()));
    out.print(lines);
    out.flush();
  }

  private static String newRunId(Instant startedAt) {
    return RUN_ID_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Makes a relative local path absolute (file:/…), leaves URIs with a scheme alone. */
  private static String qualify(SparkSession spark, String root) {
    Path path = new Path(root);
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(path).toString();
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new UsageException("Cannot use lake root '" + root + "': " + ErrorMessages.oneLine(e), e);
    }
  }
}

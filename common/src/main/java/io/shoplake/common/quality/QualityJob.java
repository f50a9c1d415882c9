package io.shoplake.common.quality;

import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.io.ParquetRead;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.manifest.ManifestStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data-quality step: runs the configured checks of each dataset ({@code shoplake.quality.datasets},
 * or those named by {@code --dataset a,b}) and keeps the metrics and outcomes in
 * {@code _dq/<dataset>/<time>-<run-id>.json}. A failed error-level check fails the run (exit 1) after every
 * dataset was checked and recorded; master-merge then refuses to publish curated tables built on that
 * dataset until a quality run passes. Failed warning-level checks are reported and the run succeeds.
 *
 * <p>Cost: per dataset, one aggregation pass over its rows (plus a count of its quarantine for a
 * quarantine-ratio check) and a listing for its signature. A dataset whose files did not change since its
 * last record is not scanned again: its checks are evaluated on the stored metrics (freshness still
 * against the current time), so a pipeline run with no new data does no Spark work here.
 *
 * <p>The run's counts are checks, not rows: read = checks evaluated, written = passed, rejected = failed
 * (by severity).
 */
public final class QualityJob implements LakeJob {
  private static final String DATASET = "dataset";
  public static final String NAME = "quality";
  /** Name and kind of the outcome recorded for a dataset that could not be checked (absent, or not vouched for). */
  static final String NOT_CHECKED = "not-checked";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    String root = ctx.paths().root();
    // A backfill (--run-date) is judged as of the end of its date, not of today.
    Instant reference = ctx.args().runDate()
        .map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
        .orElse(ctx.startedAt().truncatedTo(ChronoUnit.SECONDS));
    QualityTally tally = new QualityTally();
    Map<String, String> outputs = new LinkedHashMap<>();
    ProducerRuns producers = ProducerRuns.read(new ManifestStore(ctx.paths(), hadoopConf), NAME);
    for (DatasetChecks dataset : selected(ctx)) {
      if (dataset.checks().isEmpty()) {
        continue; // every check switched off
      }
      String path = root + "/" + dataset.path();
      QualityHistory history = new QualityHistory(root, dataset.name(), hadoopConf);
      outputs.put(dataset.name(), history.dir());
      // A dataset that is not there, or that its writer's latest run did not produce, cannot pass: it is a
      // failure at the dataset's highest severity (an error holds master-merge back), never a pass.
      boolean present = PartitionedParquet.exists(hadoopConf, path);
      Optional<String> notCheckable = !present ? Optional.of("no dataset at " + path) : producers.whyNotVouched(path);
      if (notCheckable.isPresent()) {
        recordNotChecked(ctx, dataset, history, present, notCheckable.get(), tally);
      } else {
        check(ctx, dataset, history, reference, tally);
      }
    }
    return tally.result(outputs, reference);
  }

  /**
   * Records a dataset that cannot be checked like any verdict, so that master-merge's gate, which reads
   * the latest record, sees this failure instead of an older run's pass of data that is no longer what it
   * describes.
   */
  private static void recordNotChecked(JobContext ctx, DatasetChecks dataset, QualityHistory history,
      boolean present, String reason, QualityTally tally) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    Severity severity = dataset.checks().stream().map(QualityCheck::severity)
        .anyMatch(sv -> sv == Severity.ERROR) ? Severity.ERROR : Severity.WARNING;
    tally.notChecked(dataset.name(), severity, reason);
    QualityRecord.CheckOutcome outcome = new QualityRecord.CheckOutcome(NOT_CHECKED, NOT_CHECKED,
        severity.label(), false, reason);
    history.write(new QualityRecord(ctx.runId(), dataset.name(), dataset.path(), Instant.now().toString(),
        present ? dataset.signature(ctx.paths().root(), hadoopConf) : "",
        ctx.runId(), Map.of(), List.of(outcome),
        severity == Severity.ERROR ? QualityRecord.FAILED : QualityRecord.WARNINGS));
  }

  /**
   * Evaluates a present dataset's checks and records the verdict. Its metrics are measured in one pass,
   * or taken from its last record when its files did not change since (then nothing is read).
   */
  private static void check(JobContext ctx, DatasetChecks dataset, QualityHistory history, Instant reference,
      QualityTally tally) {
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    String root = ctx.paths().root();
    String signature = dataset.signature(root, hadoopConf);
    int historyNeeded = Math.max(1, dataset.checks().stream().mapToInt(QualityCheck::historyNeeded).max().orElse(0));
    List<QualityRecord> recent = history.recent(historyNeeded);
    Optional<QualityRecord> last = recent.isEmpty() ? Optional.empty() : Optional.of(recent.get(recent.size() - 1));
    Set<String> needed = MetricsPass.metricIds(dataset.checks());

    Map<String, Object> metrics;
    String measuredIn;
    if (last.isPresent() && last.get().signature().equals(signature) && last.get().metrics().keySet().containsAll(needed)) {
      metrics = last.get().metrics();
      measuredIn = last.get().measuredInRun();
    } else {
      metrics = measure(ctx, dataset);
      measuredIn = ctx.runId();
      tally.scanned();
    }
    List<Long> earlierCounts = recent.stream().map(QualityRecord::rows).filter(r -> r >= 0).toList();
    Measurement measurement = new Measurement(metrics, reference, earlierCounts);

    List<QualityRecord.CheckOutcome> outcomes = new ArrayList<>();
    for (QualityCheck check : dataset.checks()) {
      Verdict verdict = check.evaluate(measurement);
      outcomes.add(new QualityRecord.CheckOutcome(check.name(), check.kind(), check.severity().label(),
          verdict.passed(), verdict.message()));
      tally.verdict(dataset.name(), check, verdict);
    }
    String status = outcomes.stream().anyMatch(QualityRecord.CheckOutcome::failedAtError) ? QualityRecord.FAILED
        : outcomes.stream().allMatch(QualityRecord.CheckOutcome::passed) ? QualityRecord.PASSED
        : QualityRecord.WARNINGS;
    QualityRecord record = new QualityRecord(ctx.runId(), dataset.name(), dataset.path(), Instant.now().toString(),
        signature, measuredIn, metrics, outcomes, status);
    history.write(record);
    tally.checked(record);
  }

  /** One aggregation pass over the dataset (and a count of its quarantine); a usage error for checks that do not fit it. */
  private static Map<String, Object> measure(JobContext ctx, DatasetChecks dataset) {
    ctx.stage("measure " + dataset.name() + " (" + dataset.checks().size() + " checks)");
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    String root = ctx.paths().root();
    String path = root + "/" + dataset.path();
    Dataset<Row> rows = ParquetRead.read(ctx.spark(), path);
    List<String> missing = MetricsPass.missingColumns(rows, dataset.checks());
    if (!missing.isEmpty()) {
      throw new UsageException("Cannot check " + dataset.name() + ": its checks name column(s) " + missing
          + " that " + path + " does not have (columns: " + String.join(", ", Arrays.asList(rows.columns())) + ")");
    }
    List<String> unfit = dataset.checks().stream().flatMap(c -> c.unfitFor(rows.schema()).stream()).toList();
    if (!unfit.isEmpty()) {
      throw new UsageException("Cannot check " + dataset.name() + ": " + String.join("; ", unfit));
    }
    Optional<Dataset<Row>> quarantined = dataset.quarantine().map(q -> root + "/" + q)
        .filter(q -> PartitionedParquet.exists(hadoopConf, q)).map(q -> ParquetRead.read(ctx.spark(), q));
    ctx.fitToInputReads(java.util.stream.Stream.concat(java.util.stream.Stream.of(rows), quarantined.stream()).toList());
    return MetricsPass.measure(rows, quarantined, dataset.checks());
  }

  private static List<DatasetChecks> selected(JobContext ctx) {
    List<DatasetChecks> all = QualityConfig.parse(ctx.config());
    if (ctx.args().get(DATASET).isEmpty()) {
      return all;
    }
    List<String> wanted = JobOption.listValue(ctx.args(), DATASET, names(ctx.config()));
    return all.stream().filter(d -> wanted.contains(d.name())).toList();
  }

  /**
   * It checks whatever the jobs that write its datasets left, also when one of them failed: after them,
   * not on them.
   */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(FlowStep.FILE_VERDICTS),
        QualityConfig.parse(config).stream().map(DatasetChecks::path).toList(), List.of(FlowStep.QUALITY_VERDICTS)));
  }

  /** {@code --dataset}: all, or some of the datasets that have checks configured. */
  @Override
  public List<JobOption> options(LakeConfig config) {
    return List.of(JobOption.list(DATASET, names(config)));
  }

  private static List<String> names(LakeConfig config) {
    return QualityConfig.parse(config).stream().map(DatasetChecks::name).toList();
  }
}

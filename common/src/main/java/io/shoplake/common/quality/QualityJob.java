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
 * quarantine-ratio check) and a listing for its signature; the passes of every dataset in one Spark
 * execution. A dataset whose files did not change since its last record is not scanned again: its checks
 * are evaluated on the stored metrics (freshness still against the current time), so a pipeline run with
 * no new data does no Spark work here.
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
    ManifestStore store = new ManifestStore(ctx.paths(), hadoopConf);
    ProducerRuns producers = ProducerRuns.read(store, NAME);
    // First what each dataset needs (a usage error stops the run before anything is read or recorded),
    // then every dataset to measure in one execution, then the verdicts recorded in the configured order.
    List<Runnable> records = new ArrayList<>();
    Map<String, MetricsPass.Input> toMeasure = new LinkedHashMap<>();
    Map<String, Map<String, Object>> measured = new LinkedHashMap<>();
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
      Optional<String> notCheckable = !present
          ? Optional.of("no dataset at " + path + store.whyNeverWritten(path).map(why -> ": " + why).orElse(""))
          : producers.whyNotVouched(path);
      if (notCheckable.isPresent()) {
        records.add(() -> recordNotChecked(ctx, dataset, history, present, notCheckable.get(), tally));
        continue;
      }
      String signature = dataset.signature(root, hadoopConf);
      int historyNeeded = Math.max(1, dataset.checks().stream().mapToInt(QualityCheck::historyNeeded).max().orElse(0));
      List<QualityRecord> recent = history.recent(historyNeeded);
      Optional<QualityRecord> last = recent.isEmpty() ? Optional.empty() : Optional.of(recent.get(recent.size() - 1));
      Set<String> needed = MetricsPass.metricIds(dataset.checks());
      boolean unchanged = last.isPresent() && last.get().signature().equals(signature)
          && last.get().metrics().keySet().containsAll(needed);
      if (!unchanged) {
        toMeasure.put(dataset.name(), measurable(ctx, dataset));
      }
      records.add(() -> {
        Measured metrics = unchanged ? new Measured(last.get().metrics(), last.get().measuredInRun())
            : new Measured(measured.get(dataset.name()), ctx.runId());
        check(ctx, dataset, history, signature, recent, metrics, reference, tally);
      });
    }
    if (!toMeasure.isEmpty()) {
      int checks = toMeasure.values().stream().mapToInt(m -> m.checks().size()).sum();
      ctx.stage("measure " + String.join(", ", toMeasure.keySet()) + " (" + checks + " checks)");
      ctx.fitToInputReads(toMeasure.values().stream()
          .flatMap(m -> java.util.stream.Stream.concat(java.util.stream.Stream.of(m.rows()), m.quarantine().stream()))
          .toList());
      measured.putAll(MetricsPass.measureEach(toMeasure));
      toMeasure.keySet().forEach(d -> tally.scanned());
    }
    records.forEach(Runnable::run);
    return tally.result(outputs, reference);
  }

  /** A dataset's metrics, and the run that measured them (this one, or the last that read its files). */
  private record Measured(Map<String, Object> metrics, String inRun) {}

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
   * Evaluates a present dataset's checks on {@code measured} (its metrics as measured in this run, or
   * taken from its last record when its files did not change since) and records the verdict.
   */
  private static void check(JobContext ctx, DatasetChecks dataset, QualityHistory history, String signature,
      List<QualityRecord> recent, Measured measured, Instant reference, QualityTally tally) {
    List<Long> earlierCounts = recent.stream().map(QualityRecord::rows).filter(r -> r >= 0).toList();
    Measurement measurement = new Measurement(measured.metrics(), reference, earlierCounts);

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
        signature, measured.inRun(), measured.metrics(), outcomes, status);
    history.write(record);
    tally.checked(record);
  }

  /**
   * What measuring a dataset reads (its rows, its quarantine when there is one); a usage error for checks
   * that do not fit its columns. Reads only the Parquet footers' schema, no rows.
   */
  private static MetricsPass.Input measurable(JobContext ctx, DatasetChecks dataset) {
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
    return new MetricsPass.Input(rows, quarantined, dataset.checks());
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

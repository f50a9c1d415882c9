package io.shoplake.common.quality;

import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.manifest.ManifestStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
        .map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(ctx.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, Long> failedBySeverity = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    long evaluated = 0;
    long passed = 0;
    long scanned = 0;
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
        Severity severity = dataset.checks().stream().map(QualityCheck::severity)
            .anyMatch(sv -> sv == Severity.ERROR) ? Severity.ERROR : Severity.WARNING;
        String line = dataset.name() + " (" + severity.label() + "): not checked: " + notCheckable.get();
        warnings.add("check failed: " + line);
        failedBySeverity.merge(severity.label(), 1L, Long::sum);
        evaluated++;
        if (severity == Severity.ERROR) {
          errors.add(line);
        }
        summary.put(dataset.name(), Map.of("status", "not_checked", "reason", notCheckable.get()));
        // Recorded like any verdict, so that master-merge's gate, which reads the latest record, sees this
        // failure instead of an older run's pass of data that is no longer what it describes.
        QualityRecord.CheckOutcome outcome = new QualityRecord.CheckOutcome(NOT_CHECKED, NOT_CHECKED,
            severity.label(), false, notCheckable.get());
        history.write(new QualityRecord(ctx.runId(), dataset.name(), dataset.path(), Instant.now().toString(),
            present ? dataset.signature(root, hadoopConf) : "",
            ctx.runId(), Map.of(), List.of(outcome),
            severity == Severity.ERROR ? QualityRecord.FAILED : QualityRecord.WARNINGS));
        continue;
      }
      Optional<String> quarantine = dataset.quarantine().map(q -> root + "/" + q)
          .filter(q -> PartitionedParquet.exists(hadoopConf, q));
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
        ctx.stage("measure " + dataset.name() + " (" + dataset.checks().size() + " checks)");
        Dataset<Row> rows = ctx.spark().read().parquet(path);
        List<String> missing = MetricsPass.missingColumns(rows, dataset.checks());
        if (!missing.isEmpty()) {
          throw new UsageException("Cannot check " + dataset.name() + ": its checks name column(s) " + missing
              + " that " + path + " does not have (columns: " + String.join(", ", Arrays.asList(rows.columns())) + ")");
        }
        List<String> unfit = dataset.checks().stream().flatMap(c -> c.unfitFor(rows.schema()).stream()).toList();
        if (!unfit.isEmpty()) {
          throw new UsageException("Cannot check " + dataset.name() + ": " + String.join("; ", unfit));
        }
        metrics = MetricsPass.measure(rows, quarantine.map(q -> ctx.spark().read().parquet(q)), dataset.checks());
        measuredIn = ctx.runId();
        scanned++;
      }
      List<Long> earlierCounts = recent.stream().map(QualityRecord::rows).filter(r -> r >= 0).toList();
      Measurement measurement = new Measurement(metrics, reference, earlierCounts);

      List<QualityRecord.CheckOutcome> outcomes = new ArrayList<>();
      for (QualityCheck check : dataset.checks()) {
        Verdict verdict = check.evaluate(measurement);
        outcomes.add(new QualityRecord.CheckOutcome(check.name(), check.kind(), check.severity().label(),
            verdict.passed(), verdict.message()));
        evaluated++;
        if (verdict.passed()) {
          passed++;
        } else {
          failedBySeverity.merge(check.severity().label(), 1L, Long::sum);
          String line = dataset.name() + "." + check.name() + " (" + check.kind() + ", " + check.severity().label()
              + "): " + verdict.message();
          warnings.add("check failed: " + line);
          if (check.severity() == Severity.ERROR) {
            errors.add(line);
          }
        }
      }
      String status = outcomes.stream().anyMatch(QualityRecord.CheckOutcome::failedAtError) ? QualityRecord.FAILED
          : outcomes.stream().allMatch(QualityRecord.CheckOutcome::passed) ? QualityRecord.PASSED
          : QualityRecord.WARNINGS;
      QualityRecord record = new QualityRecord(ctx.runId(), dataset.name(), dataset.path(), Instant.now().toString(),
          signature, measuredIn, metrics, outcomes, status);
      history.write(record);
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("status", status);
      described.put("rows", record.rows());
      described.put("measured_in_run", measuredIn);
      described.put("checks", outcomes.stream().map(o -> Map.of("name", o.name(), "kind", o.kind(),
          "severity", o.severity(), "passed", o.passed(), "message", o.message())).toList());
      summary.put(dataset.name(), described);
    }
    Map<String, Object> runMetrics = new LinkedHashMap<>();
    runMetrics.put("datasets_scanned", scanned);
    runMetrics.put("reference_time", reference.toString());
    runMetrics.put("quality", summary);
    JobResult result = new JobResult(List.of(), evaluated, passed, failedBySeverity, List.of(), outputs, runMetrics,
        warnings);
    if (errors.size() == 1) {
      throw new DataCheckFailure("Cannot pass quality: 1 error-level check failed: " + errors.get(0), result);
    }
    if (!errors.isEmpty()) {
      // Names only, so the one line stays readable; the figures are in the warnings printed above it.
      throw new DataCheckFailure("Cannot pass quality: " + errors.size() + " error-level checks failed: "
          + String.join(", ", errors.stream().map(e -> e.substring(0, e.indexOf(' '))).toList())
          + " (figures in the warnings and in _dq/)", result);
    }
    return result;
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

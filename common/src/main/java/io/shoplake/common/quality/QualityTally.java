package io.shoplake.common.quality;

import io.shoplake.common.job.DataCheckFailure;
import io.shoplake.common.job.JobResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a quality run found across its datasets: the counts its manifest shows (checks evaluated,
 * passed, failed by severity), the warning line of every failed check, the per-dataset summary, and the
 * error-level failures that fail the run once every dataset was checked and recorded.
 */
final class QualityTally {
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final Map<String, Long> failedBySeverity = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long evaluated;
  private long passed;
  private long scanned;

  /** A dataset that could not be checked: one failure at {@code severity}, with its reason. */
  void notChecked(String dataset, Severity severity, String reason) {
    failed(dataset + " (" + severity.label() + "): not checked: " + reason, severity);
    summary.put(dataset, Map.of("status", "not_checked", "reason", reason));
  }

  /** One check's verdict. */
  void verdict(String dataset, QualityCheck check, Verdict verdict) {
    if (verdict.passed()) {
      evaluated++;
      passed++;
    } else {
      failed(dataset + "." + check.name() + " (" + check.kind() + ", " + check.severity().label() + "): "
          + verdict.message(), check.severity());
    }
  }

  /** The record of a checked dataset, as the run's metrics describe it. */
  void checked(QualityRecord record) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("status", record.status());
    described.put("rows", record.rows());
    described.put("measured_in_run", record.measuredInRun());
    described.put("checks", record.checks().stream().map(o -> Map.of("name", o.name(), "kind", o.kind(),
        "severity", o.severity(), "passed", o.passed(), "message", o.message())).toList());
    summary.put(record.dataset(), described);
  }

  /** A dataset whose rows were read in this run (not judged on stored metrics). */
  void scanned() {
    scanned++;
  }

  /**
   * The run's result; a {@link DataCheckFailure} carrying it when an error-level check failed, so the
   * runner records the run as failed with every figure.
   */
  JobResult result(Map<String, String> outputs, Instant reference) {
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

  private void failed(String line, Severity severity) {
    evaluated++;
    warnings.add("check failed: " + line);
    failedBySeverity.merge(severity.label(), 1L, Long::sum);
    if (severity == Severity.ERROR) {
      errors.add(line);
    }
  }
}

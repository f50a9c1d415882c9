package io.shoplake.common.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One quality run's result on one dataset, kept as {@code _dq/<dataset>/<time>-<run-id>.json}: the metrics
 * (so later runs can compare with history), each check's outcome, and the dataset's signature (so
 * master-merge can tell whether the data it is about to publish is the data that was checked).
 *
 * @param runId the quality run
 * @param dataset dataset name in config
 * @param path dataset path relative to the lake root
 * @param checkedAt when
 * @param signature {@link io.shoplake.common.lake.DatasetSignature} of the dataset (and its quarantine)
 * @param measuredInRun the run whose scan produced the metrics: this run, or an earlier one when the
 *     dataset had not changed since (no scan; the checks were evaluated again on the stored metrics)
 * @param metrics metric id to value
 * @param checks every enabled check's outcome
 * @param status {@link #PASSED}, {@link #WARNINGS} (only warning-level checks failed) or {@link #FAILED}
 */
public record QualityRecord(@JsonProperty("run_id") String runId, String dataset, String path,
    @JsonProperty("checked_at") String checkedAt, String signature, @JsonProperty("measured_in_run") String measuredInRun,
    Map<String, Object> metrics, List<CheckOutcome> checks, String status) {
  public static final String PASSED = "passed";
  public static final String WARNINGS = "warnings";
  public static final String FAILED = "failed";

  /**
   * @param name the check's name in config
   * @param kind its kind
   * @param severity error or warning
   * @param passed whether it passed
   * @param message what was measured against what limit
   */
  public record CheckOutcome(String name, String kind, String severity, boolean passed, String message) {
    public boolean failedAtError() {
      return !passed && severity.equals(Severity.ERROR.label());
    }
  }

  /** The checks that failed at error level, one line each. */
  public List<String> errors() {
    return checks.stream().filter(CheckOutcome::failedAtError).map(c -> dataset + "." + c.name() + ": " + c.message())
        .toList();
  }

  public long rows() {
    Object rows = metrics.get(Measurement.ROWS);
    return rows == null ? -1 : ((Number) rows).longValue();
  }
}

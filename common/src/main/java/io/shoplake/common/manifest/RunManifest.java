package io.shoplake.common.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run did, written as {@code _runs/<job>/<run-id>.json}: when the run is accepted (status
 * submitted), when its work starts (running) and when it ends (succeeded or failed). Counts obey
 * rows_read = rows_written + rows_rejected + rows_skipped; the job fails when they do not.
 *
 * <p>Plain mutable bean for Jackson (snake_case names, see {@link ManifestStore}); no secret is ever
 * put in it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"job", "run_id", "glue_job_name", "env", "status", "started_at", "ended_at", "duration_seconds",
    "run_date", "lake_root", "input_files", "rows_read", "rows_written", "rows_rejected",
    "rejected_by_reason", "rows_skipped", "skipped_by_reason", "output_partitions", "outputs", "metrics", "warnings", "error", "error_detail"})
public final class RunManifest {
  /** One input file as recorded: path relative to the lake, size and raw date. */
  public record InputFileEntry(String path, long sizeBytes, String rawDate) {}

  private String job;
  private String runId;
  private String glueJobName;
  private String env;
  private String status;
  private String startedAt;
  private String endedAt;
  private Double durationSeconds;
  private String runDate;
  private String lakeRoot;
  private List<InputFileEntry> inputFiles = new ArrayList<>();
  private long rowsRead;
  private long rowsWritten;
  private long rowsRejected;
  private Map<String, Long> rejectedByReason = new TreeMap<>();
  private long rowsSkipped;
  private Map<String, Long> skippedByReason = new TreeMap<>();
  private List<String> outputPartitions = new ArrayList<>();
  private Map<String, String> outputs = new LinkedHashMap<>();
  private Map<String, Object> metrics = new LinkedHashMap<>();
  private List<String> warnings = new ArrayList<>();
  private String error;
  private String errorDetail;
  private String errorKind;

  public String getJob() { return job; }
  public void setJob(String job) { this.job = job; }
  public String getRunId() { return runId; }
  public void setRunId(String runId) { this.runId = runId; }
  /** The Glue job's name (--JOB_NAME), absent outside Glue. */
  public String getGlueJobName() { return glueJobName; }
  public void setGlueJobName(String glueJobName) { this.glueJobName = glueJobName; }
  public String getEnv() { return env; }
  public void setEnv(String env) { this.env = env; }
  public String getStatus() { return status; }
  public void setStatus(String status) { this.status = status; }
  /** ISO-8601 UTC instant. */
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  /** ISO-8601 UTC instant. */
  public String getEndedAt() { return endedAt; }
  public void setEndedAt(String endedAt) { this.endedAt = endedAt; }
  public Double getDurationSeconds() { return durationSeconds; }
  public void setDurationSeconds(Double durationSeconds) { this.durationSeconds = durationSeconds; }
  public String getRunDate() { return runDate; }
  public void setRunDate(String runDate) { this.runDate = runDate; }
  public String getLakeRoot() { return lakeRoot; }
  public void setLakeRoot(String lakeRoot) { this.lakeRoot = lakeRoot; }
  public List<InputFileEntry> getInputFiles() { return inputFiles; }
  public void setInputFiles(List<InputFileEntry> inputFiles) { this.inputFiles = inputFiles; }
  public long getRowsRead() { return rowsRead; }
  public void setRowsRead(long rowsRead) { this.rowsRead = rowsRead; }
  public long getRowsWritten() { return rowsWritten; }
  public void setRowsWritten(long rowsWritten) { this.rowsWritten = rowsWritten; }
  public long getRowsRejected() { return rowsRejected; }
  public void setRowsRejected(long rowsRejected) { this.rowsRejected = rowsRejected; }
  public Map<String, Long> getRejectedByReason() { return rejectedByReason; }
  public void setRejectedByReason(Map<String, Long> rejectedByReason) { this.rejectedByReason = rejectedByReason; }
  /** Rows read that were neither written nor rejected, by reason (older versions, context rows). */
  public long getRowsSkipped() { return rowsSkipped; }
  public void setRowsSkipped(long rowsSkipped) { this.rowsSkipped = rowsSkipped; }
  public Map<String, Long> getSkippedByReason() { return skippedByReason; }
  public void setSkippedByReason(Map<String, Long> skippedByReason) { this.skippedByReason = skippedByReason; }
  public List<String> getOutputPartitions() { return outputPartitions; }
  public void setOutputPartitions(List<String> outputPartitions) { this.outputPartitions = outputPartitions; }
  public Map<String, String> getOutputs() { return outputs; }
  public void setOutputs(Map<String, String> outputs) { this.outputs = outputs; }
  public Map<String, Object> getMetrics() { return metrics; }
  public void setMetrics(Map<String, Object> metrics) { this.metrics = metrics; }
  public List<String> getWarnings() { return warnings; }
  public void setWarnings(List<String> warnings) { this.warnings = warnings; }
  public String getError() { return error; }
  public void setError(String error) { this.error = error; }
  public String getErrorDetail() { return errorDetail; }
  public void setErrorDetail(String errorDetail) { this.errorDetail = errorDetail; }
  /**
   * What kind of failure: usage, data, locked, transient (worth retrying: an I/O or network fault) or
   * failure (anything else); see {@link io.shoplake.common.job.FailureKind}.
   */
  public String getErrorKind() { return errorKind; }
  public void setErrorKind(String errorKind) { this.errorKind = errorKind; }
}

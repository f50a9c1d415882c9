package io.shoplake.common.job;

import io.shoplake.common.catalog.LakeTable;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.state.StateCommit;
import java.util.List;
import java.util.Map;

/**
 * What a job did, typed; {@link JobRunner} turns it into the run manifest and checks that every row
 * read is accounted for: rowsRead = rowsWritten + sum(rejectedByReason) + sum(skippedByReason).
 *
 * @param inputFiles the files read
 * @param rowsRead rows read from the inputs
 * @param rowsWritten rows of the inputs written to the output
 * @param rejectedByReason rows quarantined, by reject reason
 * @param skippedByReason rows read but deliberately not written and not quarantined, because they are
 *     not errors: an older version of a product replaced by a newer one ({@code older_version}), or a
 *     row read only as context for another date's output ({@code outside_run_date})
 * @param outputPartitions partitions written, e.g. {@code year=2025/month=1/day=15}
 * @param outputs output name to location
 * @param metrics further figures (rows carried over, rows without FX rate, ...)
 * @param warnings things the user should know that did not fail the run
 * @param state what the job wants kept once the run succeeds (watermarks, fingerprints), committed by
 *     the runner with the bookmark, never by the job itself
 * @param tables tables the job wrote that are declared by data it found, not in {@code LakeTables} (an
 *     ingested dataset's contract): the runner registers them with the declared ones
 */
public record JobResult(
    List<InputFile> inputFiles,
    long rowsRead,
    long rowsWritten,
    Map<String, Long> rejectedByReason,
    Map<String, Long> skippedByReason,
    List<String> outputPartitions,
    Map<String, String> outputs,
    Map<String, Object> metrics,
    List<String> warnings,
    List<StateCommit> state,
    List<LakeTable> tables) {

  /** A result with no state to commit but the bookmark. */
  public JobResult(List<InputFile> inputFiles, long rowsRead, long rowsWritten, Map<String, Long> rejectedByReason,
      Map<String, Long> skippedByReason, List<String> outputPartitions, Map<String, String> outputs,
      Map<String, Object> metrics, List<String> warnings) {
    this(inputFiles, rowsRead, rowsWritten, rejectedByReason, skippedByReason, outputPartitions, outputs, metrics,
        warnings, List.of(), List.of());
  }

  /** A result where every row read was either written or rejected. */
  public JobResult(List<InputFile> inputFiles, long rowsRead, long rowsWritten, Map<String, Long> rejectedByReason,
      List<String> outputPartitions, Map<String, String> outputs, Map<String, Object> metrics, List<String> warnings) {
    this(inputFiles, rowsRead, rowsWritten, rejectedByReason, Map.of(), outputPartitions, outputs, metrics, warnings);
  }

  /** The result of a run that had nothing to do: nothing read, nothing written, and why. */
  public static JobResult nothingToDo(Map<String, String> outputs, List<String> warnings) {
    return new JobResult(List.of(), 0, 0, Map.of(), List.of(), outputs, Map.of(), warnings);
  }

  /** This result with {@code commits} to be committed by the runner. */
  public JobResult withState(List<StateCommit> commits) {
    return new JobResult(inputFiles, rowsRead, rowsWritten, rejectedByReason, skippedByReason, outputPartitions,
        outputs, metrics, warnings, List.copyOf(commits), tables);
  }

  /** This result with {@code written} tables for the runner to register (see {@code tables}). */
  public JobResult withTables(List<LakeTable> written) {
    return new JobResult(inputFiles, rowsRead, rowsWritten, rejectedByReason, skippedByReason, outputPartitions,
        outputs, metrics, warnings, state, List.copyOf(written));
  }

  public long rowsRejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long rowsSkipped() {
    return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
  }
}

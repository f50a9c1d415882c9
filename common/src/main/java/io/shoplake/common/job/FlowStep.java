package io.shoplake.common.job;

import java.util.List;
import java.util.Optional;

/**
 * One step a job takes in the pipeline, declared by the job as the data it reads and writes; the
 * pipeline (in the jobs module) derives its step graph from these declarations, so the catalog of jobs
 * is the only list of jobs and an edge exists because data flows along it. Names are lake datasets
 * ({@code processed/transactions}, {@code curated/sales}) or a named product of a step
 * ({@link #FILE_VERDICTS}, {@link #QUALITY_VERDICTS}, {@link #CATALOG}, {@link #STG_CORE_COPY}).
 *
 * @param name the step's name, unique in the pipeline ({@code export sales})
 * @param arguments its arguments after the pipeline's own
 * @param needs what must have been produced by a step that succeeded: otherwise the step is not run
 * @param after what it only comes after, whatever became of its producer (quality checks what the
 *     raw-zone jobs left, also after one of them failed); a name no step produces is ignored
 * @param produces what it writes
 * @param onlyWith the pipeline flag without which the step is left out, or empty for an every-run step
 */
public record FlowStep(String name, List<String> arguments, List<String> needs, List<String> after,
    List<String> produces, Optional<String> onlyWith) {
  /** Validate's verdicts on the raw files: a raw-zone job reads no file validate would reject. */
  public static final String FILE_VERDICTS = "file-verdicts";
  /** The quality job's verdicts, which hold master-merge back on an error-level failure. */
  public static final String QUALITY_VERDICTS = "quality-verdicts";
  /** Every table registered in the catalog. */
  public static final String CATALOG = "catalog";
  /** The copy of stg_core's tables, taken first when it runs at all. */
  public static final String STG_CORE_COPY = "stg-core-copy";

  public FlowStep {
    arguments = List.copyOf(arguments);
    needs = List.copyOf(needs);
    after = List.copyOf(after);
    produces = List.copyOf(produces);
  }

  /** A step named after its job, with no arguments, run on every pipeline run. */
  public static FlowStep of(String name, List<String> needs, List<String> after, List<String> produces) {
    return new FlowStep(name, List.of(), needs, after, produces, Optional.empty());
  }
}

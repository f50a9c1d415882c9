package io.shoplake.jobs.pipeline;

import io.shoplake.common.job.LakeJob;
import java.util.List;
import java.util.stream.Stream;

/**
 * One step of the pipeline: a job, the extra arguments it gets, the steps it needs to have succeeded
 * (it is not run when one of them failed or was not run) and the steps it only has to come after
 * (whatever their outcome: quality checks what the raw-zone jobs left, also when one of them failed).
 * Both lists together are the step graph that the local pipeline runs in order and the Step Functions
 * state machine is built from ({@link StepGraph}).
 *
 * @param name unique step name, shown in the summary
 * @param job the job to run
 * @param arguments extra {@code --key value} arguments, after the pipeline's own
 * @param dependsOn names of earlier steps that must have succeeded
 * @param runsAfter names of earlier steps that must have finished, in any state
 */
public record PipelineStep(String name, LakeJob job, List<String> arguments, List<String> dependsOn,
    List<String> runsAfter) {

  /** A step with no ordering beyond what it depends on. */
  public PipelineStep(String name, LakeJob job, List<String> arguments, List<String> dependsOn) {
    this(name, job, arguments, dependsOn, List.of());
  }

  /** Every step this one comes after: what it depends on, then what it only runs after. */
  public List<String> predecessors() {
    return Stream.concat(dependsOn.stream(), runsAfter.stream()).distinct().toList();
  }

  /** The same step running {@code other} instead (tests wrap a job to halt or fail it). */
  public PipelineStep withJob(LakeJob other) {
    return new PipelineStep(name, other, arguments, dependsOn, runsAfter);
  }
}

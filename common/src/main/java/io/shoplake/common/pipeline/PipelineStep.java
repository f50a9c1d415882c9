package io.shoplake.common.pipeline;

import io.shoplake.common.job.LakeJob;
import java.util.List;

/**
 * One step of the local pipeline: a job, the extra arguments it gets, and the steps it needs to have
 * succeeded (it is not run when one of them failed or was not run).
 *
 * @param name unique step name, shown in the summary
 * @param job the job to run
 * @param arguments extra {@code --key value} arguments, after the pipeline's own
 * @param dependsOn names of earlier steps
 */
public record PipelineStep(String name, LakeJob job, List<String> arguments, List<String> dependsOn) {}

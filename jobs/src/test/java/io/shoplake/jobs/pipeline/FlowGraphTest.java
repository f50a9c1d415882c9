package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pipeline's steps come from what the jobs declare they need, come after and produce. */
class FlowGraphTest {
  private static LakeJob job(String name, FlowStep... steps) {
    return new LakeJob() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<FlowStep> flow(LakeConfig config) {
        return List.of(steps);
      }

      @Override
      public JobResult run(JobContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static String edges(List<PipelineStep> steps) {
    return String.join("; ", steps.stream().map(s -> s.name() + " " + s.dependsOn() + " " + s.runsAfter()).toList());
  }

  @Test
  void edgesFollowTheDataAndTheOrderFollowsTheEdgesThenTheCatalog() {
    List<LakeJob> catalog = List.of(
        job("report", FlowStep.of("report", List.of("b"), List.of("a"), List.of("r"))),
        job("second", FlowStep.of("second", List.of("a"), List.of(), List.of("b"))),
        job("first", FlowStep.of("first", List.of(), List.of("nobody-makes-this"), List.of("a"))),
        job("extra", new FlowStep("extra", List.of("--x"), List.of(), List.of(), List.of("e"), Optional.of("with-extra"))));
    assertEquals("first [] []; second [first] []; report [second] [first]",
        edges(FlowGraph.steps(catalog, null, Set.of())));
    assertEquals("first [] []; second [first] []; report [second] [first]; extra [] []",
        edges(FlowGraph.steps(catalog, null, Set.of("with-extra"))));
  }

  @Test
  void aNeedNobodyProducesAndTwoStepsOfOneNameAreRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> FlowGraph.steps(
        List.of(job("a", FlowStep.of("a", List.of("x"), List.of(), List.of()))), null, Set.of()));
    assertEquals("Cannot build the pipeline: step 'a' needs x, which no step produces", e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> FlowGraph.steps(List.of(
        job("a", FlowStep.of("s", List.of(), List.of(), List.of())),
        job("b", FlowStep.of("s", List.of(), List.of(), List.of()))), null, Set.of()));
    assertEquals("Cannot build the pipeline: two steps are named 's'", e.getMessage());
  }
}

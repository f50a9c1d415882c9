package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepGraphTest {
  private static final LakeConfig CONFIG = ConfigLoader.load(JobArguments.parse("--env", "local"));

  @Test
  void thePipelineIsCutIntoTheFlowOfTheSeedArchitecture() {
    List<List<List<String>>> stages = StepGraph.of(LocalPipeline.steps(CONFIG)).stages();
    assertEquals(List.of(
        List.of(List.of("validate")),
        List.of(List.of("transactions", "products"), List.of("reviews"), List.of("clickstream")),
        List.of(List.of("quality")),
        List.of(List.of("master-merge")),
        List.of(List.of("catalog"))), stages.subList(0, 5));
    // The exports run one job, parquet-to-json, whose lock they share: one after another.
    assertEquals(CONFIG.export().pipelineTables().stream().map(t -> List.of(List.of("export " + t))).toList(),
        stages.subList(5, stages.size()));
  }

  @Test
  void theStgCoreCopyComesFirst() {
    List<List<List<String>>> stages = StepGraph.of(LocalPipeline.steps(CONFIG, true)).stages();
    assertEquals(List.of(List.of("jdbc-extract")), stages.get(0));
    assertEquals(List.of(List.of("validate")), stages.get(1));
  }

  @Test
  void qualityComesAfterEveryRawZoneJobWithoutNeedingThem() {
    StepGraph graph = StepGraph.of(LocalPipeline.steps(CONFIG));
    PipelineStep quality = graph.steps().stream().filter(s -> s.name().equals("quality")).findFirst().orElseThrow();
    assertEquals(List.of("validate"), quality.dependsOn());
    for (String job : List.of("transactions", "products", "reviews", "clickstream")) {
      assertTrue(graph.comesAfter("quality", job), job);
    }
    assertFalse(graph.comesAfter("reviews", "transactions"));
  }

  @Test
  void everyStepsOwnArgumentsAreKeysItsJobReads() {
    // The state machine passes these and --run-date to Glue, where an unknown key is not refused: checked here.
    for (PipelineStep step : LocalPipeline.steps(CONFIG, true)) {
      List<String> args = new java.util.ArrayList<>(List.of("--run-date", "2025-01-10"));
      args.addAll(step.arguments());
      io.shoplake.common.config.JobOption.checkKnown(step.name(), step.job().options(CONFIG),
          JobArguments.parse(args.toArray(new String[0])));
    }
  }

  @Test
  void everyEdgeIsKeptByTheStages() {
    StepGraph graph = StepGraph.of(LocalPipeline.steps(CONFIG, true));
    List<List<List<String>>> stages = graph.stages();
    for (PipelineStep step : graph.steps()) {
      for (String before : step.predecessors()) {
        int[] at = position(stages, step.name());
        int[] was = position(stages, before);
        boolean sameBranchEarlier = at[0] == was[0] && at[1] == was[1] && was[2] < at[2];
        assertTrue(was[0] < at[0] || sameBranchEarlier, before + " -> " + step.name());
      }
    }
  }

  @Test
  void aStepListedBeforeWhatItNeedsIsRefused() {
    List<PipelineStep> steps = List.of(step("b", List.of("a")), step("a", List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepGraph.of(steps));
    assertEquals("Cannot build the step graph: step 'b' comes after 'a', which is not listed before it", e.getMessage());
  }

  @Test
  void aNameListedTwiceIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StepGraph.of(List.of(step("a", List.of()), step("a", List.of()))));
    assertEquals("Cannot build the step graph: step 'a' is listed twice", e.getMessage());
  }

  @Test
  void independentStepsWithNoBarrierFormOneParallelStage() {
    List<PipelineStep> steps = List.of(step("a", List.of()), step("b", List.of()), step("c", List.of("a")));
    assertEquals(List.of(List.of(List.of("a", "c"), List.of("b"))), StepGraph.of(steps).stages());
  }

  @Test
  void stepsOfOneJobShareABranch() {
    List<PipelineStep> steps = List.of(step("a", List.of()), step("b", List.of()), step("c", List.of()),
        step("a2", "a", List.of()));
    assertEquals(List.of(List.of(List.of("a", "a2"), List.of("b"), List.of("c"))), StepGraph.of(steps).stages());
  }

  @Test
  void stepsThatCanOnlyRunInTurnAreAStageEach() {
    List<PipelineStep> steps = List.of(step("x", List.of()), step("x2", "x", List.of()), step("x3", "x", List.of()));
    assertEquals(List.of(List.of(List.of("x")), List.of(List.of("x2")), List.of(List.of("x3"))),
        StepGraph.of(steps).stages());
  }

  private static int[] position(List<List<List<String>>> stages, String name) {
    for (int s = 0; s < stages.size(); s++) {
      for (int b = 0; b < stages.get(s).size(); b++) {
        int i = stages.get(s).get(b).indexOf(name);
        if (i >= 0) {
          return new int[] {s, b, i};
        }
      }
    }
    throw new AssertionError(name + " is in no stage");
  }

  private static PipelineStep step(String name, List<String> dependsOn) {
    return step(name, name, dependsOn);
  }

  /** A step named {@code name} that runs the job named {@code jobName}. */
  private static PipelineStep step(String name, String jobName, List<String> dependsOn) {
    LakeJob job = new LakeJob() {
      @Override
      public String name() {
        return jobName;
      }

      @Override
      public JobResult run(io.shoplake.common.job.JobContext context) {
        throw new UnsupportedOperationException();
      }
    };
    return new PipelineStep(name, job, List.of(), dependsOn);
  }
}

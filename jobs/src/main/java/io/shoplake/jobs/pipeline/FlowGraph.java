package io.shoplake.jobs.pipeline;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.LakeJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's steps, derived from what each job declares it needs, comes after and produces
 * ({@link LakeJob#flow}): a step depends on the producers of what it needs and comes after the producers
 * of what it only follows. The jobs are the job catalog's, so there is no second list of jobs; steps come
 * in an order where every step follows its predecessors, ties broken by the catalog's order.
 */
public final class FlowGraph {
  private FlowGraph() {}

  /**
   * @param jobs the job catalog, in its order
   * @param flags the pipeline's flags that are on ({@code extract-stg-core}): a step that names another
   *     one in {@link FlowStep#onlyWith} is left out
   */
  public static List<PipelineStep> steps(List<LakeJob> jobs, LakeConfig config, Set<String> flags) {
    Map<String, FlowStep> declared = new LinkedHashMap<>();
    Map<String, LakeJob> jobOf = new HashMap<>();
    Map<String, List<String>> producers = new HashMap<>();
    for (LakeJob job : jobs) {
      for (FlowStep step : job.flow(config)) {
        if (step.onlyWith().isPresent() && !flags.contains(step.onlyWith().get())) {
          continue;
        }
        if (declared.putIfAbsent(step.name(), step) != null) {
          throw new IllegalStateException("Cannot build the pipeline: two steps are named '" + step.name() + "'");
        }
        jobOf.put(step.name(), job);
        step.produces().forEach(p -> producers.computeIfAbsent(p, k -> new ArrayList<>()).add(step.name()));
      }
    }
    Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
    Map<String, Set<String>> runsAfter = new LinkedHashMap<>();
    for (FlowStep step : declared.values()) {
      Set<String> hard = new LinkedHashSet<>();
      for (String need : step.needs()) {
        List<String> by = producers.get(need);
        if (by == null) {
          throw new IllegalStateException("Cannot build the pipeline: step '" + step.name() + "' needs " + need
              + ", which no step produces");
        }
        hard.addAll(by);
      }
      Set<String> soft = new LinkedHashSet<>();
      step.after().forEach(a -> soft.addAll(producers.getOrDefault(a, List.of())));
      soft.removeAll(hard);
      hard.remove(step.name());
      soft.remove(step.name());
      dependsOn.put(step.name(), hard);
      runsAfter.put(step.name(), soft);
    }
    List<String> order = ordered(declared.keySet(), dependsOn, runsAfter);
    List<PipelineStep> steps = new ArrayList<>();
    for (String name : order) {
      FlowStep step = declared.get(name);
      steps.add(new PipelineStep(name, jobOf.get(name), step.arguments(), inOrder(dependsOn.get(name), order),
          inOrder(runsAfter.get(name), order)));
    }
    return steps;
  }

  /** Every step after its predecessors; among the ready ones, the first in declaration (catalog) order. */
  private static List<String> ordered(Set<String> names, Map<String, Set<String>> dependsOn,
      Map<String, Set<String>> runsAfter) {
    List<String> order = new ArrayList<>();
    Set<String> left = new LinkedHashSet<>(names);
    while (!left.isEmpty()) {
      String next = left.stream().filter(n -> order.containsAll(dependsOn.get(n)) && order.containsAll(runsAfter.get(n)))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("Cannot build the pipeline: steps " + left
              + " wait on each other"));
      order.add(next);
      left.remove(next);
    }
    return order;
  }

  private static List<String> inOrder(Set<String> names, List<String> order) {
    return order.stream().filter(names::contains).toList();
  }
}

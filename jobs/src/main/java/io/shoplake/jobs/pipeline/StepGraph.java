package io.shoplake.jobs.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's steps as a graph (edges: {@link PipelineStep#predecessors()}), checked once, and cut
 * into the stages that both the local pipeline and the Step Functions state machine follow. The list
 * order of the steps must already be a valid order (every predecessor listed earlier); the local
 * pipeline runs it as listed, and {@link #stages()} groups it for a runner that can run steps side by
 * side.
 *
 * <p>A stage is a list of branches, each an ordered list of steps: one branch of one step is a single
 * task; several branches run in parallel. Stages are cut at <em>barriers</em>, steps that every other
 * step comes before or after (validate, quality, master-merge); the steps between two barriers split
 * into branches by the edges among them (transactions then products; reviews; clickstream), and steps of
 * the same job (the exports) into one branch, as they share the job's lock. Steps that form a single
 * branch become a stage each, one after another. Every edge of the graph is kept: an edge within a stage
 * lies within one branch, in order, and every other edge goes to a later stage. Cost: a transitive
 * closure over a dozen steps, nothing else.
 */
public final class StepGraph {
  private final List<PipelineStep> steps;
  private final Map<String, Set<String>> ancestors = new HashMap<>();

  private StepGraph(List<PipelineStep> steps) {
    this.steps = List.copyOf(steps);
    for (PipelineStep step : steps) {
      if (ancestors.containsKey(step.name())) {
        throw new IllegalArgumentException("Cannot build the step graph: step '" + step.name() + "' is listed twice");
      }
      Set<String> before = new LinkedHashSet<>();
      for (String predecessor : step.predecessors()) {
        Set<String> of = ancestors.get(predecessor);
        if (of == null) {
          throw new IllegalArgumentException("Cannot build the step graph: step '" + step.name() + "' comes after '"
              + predecessor + "', which is not listed before it");
        }
        before.add(predecessor);
        before.addAll(of);
      }
      ancestors.put(step.name(), before);
    }
  }

  /** The graph of {@code steps}; refused when a name repeats or a predecessor is missing or listed later. */
  public static StepGraph of(List<PipelineStep> steps) {
    return new StepGraph(steps);
  }

  /** The steps in the order the local pipeline runs them. */
  public List<PipelineStep> steps() {
    return steps;
  }

  /** True when {@code later} comes after {@code earlier}, directly or through other steps. */
  public boolean comesAfter(String later, String earlier) {
    Set<String> of = ancestors.get(later);
    if (of == null) {
      throw new IllegalArgumentException("Cannot look up step '" + later + "': not in the graph");
    }
    return of.contains(earlier);
  }

  /** The stages, in order: each a list of branches, each branch its steps in order. */
  public List<List<List<String>>> stages() {
    List<List<List<String>>> stages = new ArrayList<>();
    List<String> between = new ArrayList<>();
    for (PipelineStep step : steps) {
      if (isBarrier(step.name())) {
        addBetween(stages, between);
        between = new ArrayList<>();
        stages.add(List.of(List.of(step.name())));
      } else {
        between.add(step.name());
      }
    }
    addBetween(stages, between);
    return stages;
  }

  /** The steps between two barriers as one stage of branches, or as a stage per step when they form one branch. */
  private void addBetween(List<List<List<String>>> stages, List<String> between) {
    if (between.isEmpty()) {
      return;
    }
    List<List<String>> branches = branches(between);
    if (branches.size() == 1) {
      branches.get(0).forEach(name -> stages.add(List.of(List.of(name))));
    } else {
      stages.add(branches);
    }
  }

  private boolean isBarrier(String name) {
    return steps.stream().map(PipelineStep::name).filter(other -> !other.equals(name))
        .allMatch(other -> comesAfter(name, other) || comesAfter(other, name));
  }

  /** Splits steps between two barriers into connected groups, each in list order. */
  private List<List<String>> branches(List<String> names) {
    Map<String, String> group = new LinkedHashMap<>();
    names.forEach(n -> group.put(n, n));
    Map<String, String> firstOfJob = new HashMap<>();
    for (PipelineStep step : steps) {
      if (!group.containsKey(step.name())) {
        continue;
      }
      List<String> joined = new ArrayList<>(step.predecessors());
      // Steps of the same job share its lock (_state/<job>/) and, on Glue, its one concurrent run: side
      // by side, all but one would be refused. One branch runs them one after another.
      String sameJob = firstOfJob.putIfAbsent(step.job().name(), step.name());
      if (sameJob != null) {
        joined.add(sameJob);
      }
      for (String predecessor : joined) {
        if (group.containsKey(predecessor)) {
          String from = root(group, predecessor);
          String to = root(group, step.name());
          if (!from.equals(to)) {
            group.put(to, from);
          }
        }
      }
    }
    Map<String, List<String>> byRoot = new LinkedHashMap<>();
    for (String name : names) {
      byRoot.computeIfAbsent(root(group, name), r -> new ArrayList<>()).add(name);
    }
    return List.copyOf(byRoot.values());
  }

  private static String root(Map<String, String> group, String name) {
    Set<String> seen = new HashSet<>();
    String at = name;
    while (!group.get(at).equals(at) && seen.add(at)) {
      at = group.get(at);
    }
    return at;
  }
}

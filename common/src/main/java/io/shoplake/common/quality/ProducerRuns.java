package io.shoplake.common.quality;

import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.manifest.ManifestStore;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.manifest.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which datasets cannot be vouched for because the latest run of the job that writes them did not
 * succeed (it failed, was refused, or was killed and still says running): what such a dataset holds is
 * an older run's output, and the quality job must not pass it as if it were today's. A job's datasets
 * are the outputs recorded by its latest run that succeeded. Cost: one LIST of {@code _runs/} and of
 * each job's folder, a few manifest reads per job.
 */
final class ProducerRuns {
  /** How far back to look for a job's last successful run. */
  private static final int LOOK_BACK = 20;

  private final Map<String, String> unvouched = new LinkedHashMap<>();

  private ProducerRuns() {}

  /** @param self this quality run's job name, whose own runs are not judged */
  static ProducerRuns read(ManifestStore store, String self) {
    ProducerRuns runs = new ProducerRuns();
    for (String job : store.jobs()) {
      if (job.equals(self)) {
        continue;
      }
      List<RunManifest> recent = store.recent(job, LOOK_BACK);
      if (recent.isEmpty() || RunStatus.SUCCEEDED.label().equals(recent.get(0).getStatus())) {
        continue;
      }
      RunManifest latest = recent.get(0);
      String why = "the latest run of " + job + " (" + latest.getRunId() + ") " + latest.getStatus()
          + (latest.getError() == null ? "" : ": " + latest.getError());
      recent.stream().filter(m -> RunStatus.SUCCEEDED.label().equals(m.getStatus())).findFirst()
          .ifPresent(ok -> ok.getOutputs().values().forEach(
              location -> runs.unvouched.putIfAbsent(LakePaths.withoutTrailingSlash(location), why)));
    }
    return runs;
  }

  /** Why the dataset at {@code location} cannot be vouched for, or empty when its writer's latest run succeeded. */
  Optional<String> whyNotVouched(String location) {
    return Optional.ofNullable(unvouched.get(LakePaths.withoutTrailingSlash(location)));
  }
}

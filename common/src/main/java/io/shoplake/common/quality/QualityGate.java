package io.shoplake.common.quality;

import io.shoplake.common.job.DataCheckFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What master-merge asks before it publishes: did the last quality run pass the datasets it is about to
 * build on? A dataset whose latest record in {@code _dq/} failed at error level stops the merge (the
 * curated tables stay as they were) until a quality run passes it. A dataset never checked, or changed
 * since its last check, is let through with a warning: the pipeline always runs quality right before
 * master-merge, so that case only arises when master-merge is run by hand. Cost: per dataset, one
 * listing of {@code _dq/<dataset>/}, one small read and the listings of its signature.
 */
public final class QualityGate {
  private QualityGate() {}

  /**
   * @param inputs the dataset paths (absolute, under {@code lakeRoot}) the caller builds on
   * @return warnings for inputs not checked, or changed since their check
   * @throws DataCheckFailure when an input's latest quality record failed
   */
  public static List<String> check(List<DatasetChecks> configured, String lakeRoot, List<String> inputs,
      Configuration hadoopConf, String caller) {
    List<String> warnings = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String input : inputs) {
      Optional<DatasetChecks> dataset = configured.stream()
          .filter(d -> !d.checks().isEmpty() && (lakeRoot + "/" + d.path()).equals(input)).findFirst();
      if (dataset.isEmpty()) {
        continue;
      }
      Optional<QualityRecord> latest = new QualityHistory(lakeRoot, dataset.get().name(), hadoopConf).latest();
      if (latest.isEmpty()) {
        warnings.add(dataset.get().path() + " has no quality run on record (run the quality job before " + caller + ")");
      } else if (latest.get().status().equals(QualityRecord.FAILED)) {
        failed.add(dataset.get().path() + " (quality run " + latest.get().runId() + ": "
            + String.join("; ", latest.get().errors()) + ")");
      } else if (!latest.get().signature().equals(dataset.get().signature(lakeRoot, hadoopConf))) {
        warnings.add(dataset.get().path() + " changed since quality run " + latest.get().runId() + " checked it");
      }
    }
    if (!failed.isEmpty()) {
      throw new DataCheckFailure("Cannot " + caller + ": held back by failed error-level quality checks on "
          + String.join(", ", failed) + "; the curated tables are left as they were. Fix the data (or the check),"
          + " rerun the job that writes it, then quality", null);
    }
    return warnings;
  }
}

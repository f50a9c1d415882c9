package io.shoplake.jobs;

import io.shoplake.common.quality.QualityJob;

/**
 * Data quality: runs the configured checks on the processed datasets and keeps the metrics in _dq/ (see
 * {@link QualityJob}). Glue: {@code --class io.shoplake.jobs.QualityCheckJob}, run after the ETL jobs and
 * before master-merge; exit 1 when an error-level check fails.
 */
public final class QualityCheckJob {
  private QualityCheckJob() {}

  public static void main(String[] args) {
    Launch.run(new QualityJob(), args);
  }
}

package io.shoplake.jobs;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.transactions.TransactionEtl;

/**
 * Transaction ETL: raw/transactions CSV -> processed/transactions Parquet (see {@link TransactionEtl}).
 * Glue: {@code --class io.shoplake.jobs.TransactionEtlJob}. Exits non-zero only on failure, so a
 * successful Glue run ends normally.
 */
public final class TransactionEtlJob {
  private TransactionEtlJob() {}

  public static void main(String[] args) {
    int code = JobRunner.forProcess().run(new TransactionEtl(), args).exitCode();
    if (code != JobOutcome.OK) {
      System.exit(code);
    }
  }
}

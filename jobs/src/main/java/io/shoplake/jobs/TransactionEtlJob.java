package io.shoplake.jobs;

import io.shoplake.common.transactions.TransactionEtl;

/**
 * Transaction ETL: raw/transactions CSV -> processed/transactions Parquet (see {@link TransactionEtl}).
 * Glue: {@code --class io.shoplake.jobs.TransactionEtlJob}.
 */
public final class TransactionEtlJob {
  private TransactionEtlJob() {}

  public static void main(String[] args) {
    Launch.run(new TransactionEtl(), args);
  }
}

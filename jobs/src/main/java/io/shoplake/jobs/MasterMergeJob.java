package io.shoplake.jobs;

import io.shoplake.common.curated.MasterMerge;

/**
 * Master merge: processed datasets -> curated sales, daily_product_performance, customer_summary (see
 * {@link MasterMerge}). Glue: {@code --class io.shoplake.jobs.MasterMergeJob}.
 */
public final class MasterMergeJob {
  private MasterMergeJob() {}

  public static void main(String[] args) {
    Launch.run(new MasterMerge(), args);
  }
}

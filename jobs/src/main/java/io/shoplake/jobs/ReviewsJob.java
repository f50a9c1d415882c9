package io.shoplake.jobs;

import io.shoplake.common.reviews.ReviewEtl;

/**
 * Reviews: raw/reviews JSON Lines -> processed/reviews Parquet (see {@link ReviewEtl}). Glue: {@code
 * --class io.shoplake.jobs.ReviewsJob}.
 */
public final class ReviewsJob {
  private ReviewsJob() {}

  public static void main(String[] args) {
    Launch.run(new ReviewEtl(), args);
  }
}

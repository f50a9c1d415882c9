package io.shoplake.jobs;

import io.shoplake.common.ingest.IngestJob;

/**
 * The generic file processor: raw/NAME CSV or JSON Lines -> processed/NAME Parquet with a recorded,
 * versioned schema contract (see {@link IngestJob}); {@code --dataset NAME} is required. Glue:
 * {@code --class io.shoplake.jobs.GenericIngestJob}, the dataset given as a run argument.
 */
public final class GenericIngestJob {
  private GenericIngestJob() {}

  public static void main(String[] args) {
    Launch.run(new IngestJob(), args);
  }
}

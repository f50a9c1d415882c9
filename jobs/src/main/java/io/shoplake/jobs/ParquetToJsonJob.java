package io.shoplake.jobs;

import io.shoplake.common.export.ParquetToJson;

/**
 * Parquet-to-JSON export of a lake dataset to exports/ (see {@link ParquetToJson}). Glue: {@code
 * --class io.shoplake.jobs.ParquetToJsonJob}.
 */
public final class ParquetToJsonJob {
  private ParquetToJsonJob() {}

  public static void main(String[] args) {
    Launch.run(new ParquetToJson(), args);
  }
}

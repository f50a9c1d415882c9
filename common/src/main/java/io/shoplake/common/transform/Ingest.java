package io.shoplake.common.transform;

import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;

/** The ingest columns every processed row carries besides {@code source_file}: when, which run, which job. */
public final class Ingest {
  private Ingest() {}

  public static Transform withIngestColumns(String runId, String jobName, Instant ingestedAt) {
    return ds -> ds
        .withColumn("ingested_at", lit(Timestamp.from(ingestedAt)))
        .withColumn("run_id", lit(runId))
        .withColumn("job_name", lit(jobName));
  }
}

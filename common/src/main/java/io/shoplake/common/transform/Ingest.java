package io.shoplake.common.transform;

import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** The ingest columns every processed row carries besides {@code source_file}: when, which run, which job. */
public final class Ingest {
  public static final String INGESTED_AT = "ingested_at";
  public static final String RUN_ID = "run_id";
  public static final String JOB_NAME = "job_name";
  /** Their names, in their order: the columns two writes of the same rows differ in. */
  public static final List<String> COLUMNS = List.of(INGESTED_AT, RUN_ID, JOB_NAME);

  private Ingest() {}

  public static Transform withIngestColumns(String runId, String jobName, Instant ingestedAt) {
    return ds -> ds.withColumns(columns(runId, jobName, ingestedAt));
  }

  /** The ingest columns by name, in their order: the run's constants. */
  public static Map<String, Column> columns(String runId, String jobName, Instant ingestedAt) {
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put(INGESTED_AT, lit(Timestamp.from(ingestedAt)));
    columns.put(RUN_ID, lit(runId));
    columns.put(JOB_NAME, lit(jobName));
    return columns;
  }
}

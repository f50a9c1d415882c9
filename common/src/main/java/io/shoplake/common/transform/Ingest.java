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
  /** Their names, in their order: the columns two writes of the same rows differ in. */
  public static final List<String> COLUMNS = List.of("ingested_at", "run_id", "job_name");

  private Ingest() {}

  public static Transform withIngestColumns(String runId, String jobName, Instant ingestedAt) {
    return ds -> ds.withColumns(columns(runId, jobName, ingestedAt));
  }

  /** The ingest columns by name, in their order: the run's constants. */
  public static Map<String, Column> columns(String runId, String jobName, Instant ingestedAt) {
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put(COLUMNS.get(0), lit(Timestamp.from(ingestedAt)));
    columns.put(COLUMNS.get(1), lit(runId));
    columns.put(COLUMNS.get(2), lit(jobName));
    return columns;
  }
}

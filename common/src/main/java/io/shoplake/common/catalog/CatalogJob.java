package io.shoplake.common.catalog;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.ingest.IngestedTables;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's catalog step ({@code catalog}): every declared table that is in the lake, and every
 * ingested one (from its contract), registered in the session's Hive-compatible catalog with its
 * partitions synced. The jobs already register what they
 * write; this step catches up what no run of the current code wrote (a first deployment over an existing
 * lake, a lake restored or moved, a table dropped by hand), which is what a crawler would otherwise do.
 *
 * <p>It only names the tables: the runner's one registration path ({@link CatalogRegistration}, called
 * for every job's outputs) does the work. Without a catalog it succeeds with a warning and changes
 * nothing. Cost: one existence check per table, then the registration's listing of partition folders.
 */
public final class CatalogJob implements LakeJob {
  public static final String NAME = "catalog";

  @Override
  public String name() {
    return NAME;
  }

  /** It reads no raw file: nothing to bookmark. */
  @Override
  public boolean keepsBookmark() {
    return false;
  }

  /** It catches up every declared table: after each of their writers. */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return List.of(FlowStep.of(NAME, List.of(), LakeTables.all().stream().map(t -> t.zone() + "/" + t.name()).toList(),
        List.of(FlowStep.CATALOG)));
  }

  @Override
  public JobResult run(JobContext ctx) {
    if (!CatalogRegistration.available(ctx.spark())) {
      return JobResult.nothingToDo(Map.of(), List.of("no Hive-compatible catalog in this session"
          + " (spark.sql.catalogImplementation is not hive): nothing registered; on Glue, --enable-glue-datacatalog"
          + " gives the jobs the Data Catalog"));
    }
    ctx.stage("find the declared tables in the lake");
    Map<String, String> present = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    List<LakeTable> ingested = IngestedTables.found(ctx.paths(),
        ctx.spark().sparkContext().hadoopConfiguration());
    List<LakeTable> tables = new ArrayList<>(LakeTables.all());
    tables.addAll(ingested);
    for (LakeTable table : tables) {
      String location = table.location(ctx.paths());
      if (PartitionedParquet.exists(ctx.spark().sparkContext().hadoopConfiguration(), location)) {
        present.put(table.zone() + "/" + table.name(), location);
      } else {
        warnings.add("not registered: " + table.zone() + "/" + table.name() + " is not in the lake yet");
      }
    }
    return JobResult.nothingToDo(present, warnings).withTables(ingested);
  }
}

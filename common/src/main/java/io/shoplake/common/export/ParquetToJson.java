package io.shoplake.common.export;

import io.shoplake.common.bookmark.FileBookmark;
import io.shoplake.common.config.JobOption;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.io.ObservedWrite;
import io.shoplake.common.io.ParquetRead;
import io.shoplake.common.io.PartitionedParquet;
import io.shoplake.common.job.FlowStep;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.JobResult;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.lake.DatasetSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Exports a Parquet dataset of the lake to JSON Lines under {@code exports/<name>/}, keeping its
 * partition layout ({@code year=/month=/day=} folders stay folders, so the export prunes the same
 * way), optionally gzip-compressed.
 *
 * <p>Arguments: {@code --dataset <zone>/<name>} (zone processed, curated or quarantine) or
 * {@code --source-path <uri>}; {@code --export-name} (default: the dataset's name);
 * {@code --compression none|gzip} (default {@code shoplake.export.compression}).
 *
 * <p>Every object names every column of the source but its partition columns, a null as {@code null}.
 *
 * <p>An export whose source has not changed since the last committed export (same files, by
 * {@link DatasetSignature}) and is still in place is not rewritten; {@code --bookmark disable} forces it.
 *
 * <p>The export is a snapshot: written to a staging folder and swapped in whole, so a reader never sees
 * half an export and a rerun replaces it. Its run manifest records the status (submitted, running,
 * succeeded, failed), the row count and the output location, for a caller to poll.
 *
 * <p>Cost: one scan of the source and one write; no shuffle.
 */
public final class ParquetToJson implements LakeJob {
  public static final String NAME = "parquet-to-json";
  private static final List<String> ZONES = List.of("processed", "curated", "quarantine");
  private static final String SAFE_NAME = "[A-Za-z0-9][A-Za-z0-9_.-]*";
  /**
   * The objects' format: every column named in every object, a null written as {@code null} (Spark leaves null
   * fields out by default, and a reader that infers columns from a sample of lines then misses a column).
   */
  private static final String FORMAT = "explicit-nulls";

  @Override
  public String name() {
    return NAME;
  }

  /** What to export, where and how, from the arguments; a wrong argument is a {@link UsageException}. */
  record Request(String source, String exportName, String compression) {}

  static Request request(JobContext ctx) {
    Optional<String> dataset = ctx.args().get("dataset");
    Optional<String> sourcePath = ctx.args().get("source-path");
    if (dataset.isPresent() == sourcePath.isPresent()) {
      throw new UsageException("Cannot export: give exactly one of --dataset <zone>/<name> (e.g. curated/sales)"
          + " or --source-path <uri>");
    }
    String source;
    String defaultName;
    if (dataset.isPresent()) {
      String[] parts = dataset.get().split("/");
      source = ctx.paths().root() + "/" + parts[0] + "/" + parts[1];
      defaultName = parts[1];
    } else {
      source = sourcePath.get();
      defaultName = new Path(source).getName();
    }
    String exportName = ctx.args().get("export-name").orElse(defaultName);
    if (!exportName.matches(SAFE_NAME)) {
      // The name of a --source-path's folder, which no option check saw.
      throw new UsageException("Cannot use export name '" + exportName + "': letters, digits, _ . - only");
    }
    String compression = ctx.args().get("compression").orElse(ctx.config().export().compression())
        .toLowerCase(Locale.ROOT);
    return new Request(source, exportName, compression);
  }

  /** What to export and how: each value's shape is checked before Spark starts. */
  @Override
  public List<JobOption> options(LakeConfig config) {
    return List.of(
        JobOption.text("dataset", "(" + String.join("|", ZONES) + ")/" + SAFE_NAME,
            "expected <zone>/<name> with zone one of " + String.join(", ", ZONES)),
        JobOption.text("source-path", ".+", "expected the URI of a Parquet dataset"),
        JobOption.text("export-name", SAFE_NAME, "letters, digits, _ . - only"),
        JobOption.text("compression", "(?i)none|gzip", "expected none or gzip"));
  }

  /**
   * One step per curated table the pipeline exports ({@code shoplake.export.pipeline-tables}): each needs
   * its table and comes after the catalog step, the flow's last stage.
   */
  @Override
  public List<FlowStep> flow(LakeConfig config) {
    return config.export().pipelineTables().stream().map(table -> new FlowStep("export " + table,
        List.of("--dataset", "curated/" + table, "--export-name", table), List.of("curated/" + table),
        List.of(FlowStep.CATALOG), List.of("exports/" + table), java.util.Optional.empty())).toList();
  }

  @Override
  public JobResult run(JobContext ctx) {
    Request request = request(ctx);
    Configuration hadoopConf = ctx.spark().sparkContext().hadoopConfiguration();
    if (!PartitionedParquet.exists(hadoopConf, request.source())) {
      throw new IllegalArgumentException("Cannot export " + request.source() + ": no dataset there");
    }
    List<String> partitionColumns = partitionColumns(request.source(), hadoopConf);
    String target = ctx.paths().exports(request.exportName());
    PartitionedParquet.removeStaleStaging(hadoopConf, target, ctx.runId());
    String staging = PartitionedParquet.stagingPath(target, ctx.runId());
    // Unchanged source (same files), same compression and format, export in place: a rewrite would change
    // nothing. The format's version is in the key so that an export written by an older format is redone once.
    boolean sourceChanged = ctx.bookmark().dependencyChanged("exports/" + request.exportName(),
        request.compression() + ":" + FORMAT + ":" + DatasetSignature.of(hadoopConf, request.source()));
    if (!sourceChanged && PartitionedParquet.exists(hadoopConf, target)) {
      List<String> warnings = new ArrayList<>();
      warnings.add(FileBookmark.nothingNew("files under " + request.source()));
      return JobResult.nothingToDo(Map.of("export", target), warnings);
    }

    ctx.stage("export " + request.source() + " to " + target);
    Dataset<Row> rows = ParquetRead.read(ctx.spark(), request.source());
    ctx.fitToInputReads(List.of(rows));
    long exported = ObservedWrite.write(rows, NAME + "_rows", r -> r.write()
        .mode(SaveMode.Overwrite)
        .option("compression", request.compression())
        .option("ignoreNullFields", "false")
        .partitionBy(partitionColumns.toArray(new String[0]))
        .json(staging));
    PartitionedParquet.swapIn(staging, target, hadoopConf);

    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("export", target);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("source", request.source());
    metrics.put("compression", request.compression());
    metrics.put("partition_columns", partitionColumns);
    return new JobResult(List.of(), exported, exported, Map.of(), List.of(), outputs, metrics, new ArrayList<>());
  }

  /**
   * The partition columns of a dataset, from its folder names: the {@code name=value} levels under the
   * root, first folder of each level (Spark writes every partition to the same depth).
   */
  static List<String> partitionColumns(String path, Configuration hadoopConf) {
    List<String> columns = new ArrayList<>();
    Path dir = new Path(path);
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      while (true) {
        Path next = null;
        for (FileStatus child : fs.listStatus(dir)) {
          String name = child.getPath().getName();
          if (child.isDirectory() && name.contains("=") && !name.startsWith("_") && !name.startsWith(".")) {
            next = child.getPath();
            columns.add(name.substring(0, name.indexOf('=')));
            break;
          }
        }
        if (next == null) {
          return columns;
        }
        dir = next;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}

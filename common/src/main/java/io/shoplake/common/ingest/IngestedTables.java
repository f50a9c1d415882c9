package io.shoplake.common.ingest;

import io.shoplake.common.catalog.LakeTable;
import io.shoplake.common.lake.LakePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The tables of the datasets the generic file processor ingested: one per recorded contract in
 * {@code _schemas/}, declared by its latest version, so the catalog registers them exactly as it does
 * the declared datasets. Cost: one listing of {@code _schemas/} and one per dataset.
 */
public final class IngestedTables {
  private IngestedTables() {}

  /** The table of {@code contract}: its columns, the metadata, partitioned by year, month, day. */
  public static LakeTable of(SchemaContract contract) {
    StructType schema = contract.schema()
        .add("processed_at", DataTypes.TimestampType)
        .add("source_file", DataTypes.StringType)
        .add("processing_job", DataTypes.StringType)
        .add("ingested_at", DataTypes.TimestampType)
        .add("run_id", DataTypes.StringType)
        .add("job_name", DataTypes.StringType)
        .add("year", DataTypes.IntegerType)
        .add("month", DataTypes.IntegerType)
        .add("day", DataTypes.IntegerType);
    return new LakeTable("processed", contract.dataset(), schema, true);
  }

  /** The table of every dataset with a recorded contract under {@code paths}' lake root, by name. */
  public static List<LakeTable> found(LakePaths paths, Configuration hadoopConf) {
    Path schemas = new Path(paths.root() + "/_schemas");
    List<LakeTable> tables = new ArrayList<>();
    try {
      FileStatus[] datasets;
      try {
        datasets = schemas.getFileSystem(hadoopConf).listStatus(schemas);
      } catch (FileNotFoundException e) {
        return tables;
      }
      for (FileStatus dataset : datasets) {
        if (dataset.isDirectory()) {
          new ContractStore(paths.root(), dataset.getPath().getName(), hadoopConf).latest()
              .ifPresent(c -> tables.add(of(c)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + schemas + ": " + e.getMessage(), e);
    }
    tables.sort(Comparator.comparing(LakeTable::name));
    return tables;
  }
}

package io.shoplake.common.catalog;

import io.shoplake.common.lake.LakePaths;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A processed or curated dataset as a table: its zone ({@code processed} or {@code curated}, the
 * database {@code <zone>_<env>}), its name (its folder), its declared schema (partition columns last)
 * and whether it is partitioned by {@code year}, {@code month}, {@code day}.
 */
public record LakeTable(String zone, String name, StructType schema, boolean partitioned) {
  public static final List<String> PARTITION_COLUMNS = List.of("year", "month", "day");

  public LakeTable {
    if (partitioned) {
      List<String> names = Arrays.asList(schema.fieldNames());
      if (names.size() < 3 || !names.subList(names.size() - 3, names.size()).equals(PARTITION_COLUMNS)) {
        throw new IllegalArgumentException("Cannot declare table " + zone + "/" + name
            + ": a partitioned table ends with year, month, day; its columns are " + names);
      }
    }
  }

  /** The database of this table in environment {@code env}: {@code processed_dev}, {@code curated_prod}. */
  public String database(String env) {
    return zone + "_" + env;
  }

  /** The columns that are not partition columns. */
  public List<StructField> dataColumns() {
    List<StructField> all = Arrays.asList(schema.fields());
    return partitioned ? all.subList(0, all.size() - PARTITION_COLUMNS.size()) : all;
  }

  /** The folder of the table under {@code paths}' lake root. */
  public String location(LakePaths paths) {
    return zone.equals("processed") ? paths.processed(name) : paths.curated(name);
  }
}

package io.shoplake.common.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;

/**
 * The Hive DDL of a declared table, one text for both readers of it: Athena (run by
 * scripts/deploy-glue.sh) and Spark with a Hive-compatible catalog (run by {@link CatalogRegistration}).
 * An external Parquet table at the dataset's folder; a partitioned one is partitioned by year, month,
 * day and carries Athena's partition projection (integer ranges and the folder template), so Athena
 * needs neither a crawler nor {@code MSCK REPAIR}. Spark ignores the projection properties.
 */
public final class TableDdl {
  /** The years partition projection covers; a year outside it is not seen by Athena. */
  public static final String YEAR_RANGE = "2000,2099";

  private TableDdl() {}

  public static String createDatabase(String database) {
    return "CREATE DATABASE IF NOT EXISTS `" + database + "`";
  }

  /** {@code CREATE EXTERNAL TABLE IF NOT EXISTS ...} of {@code table} in {@code database} at {@code location}. */
  public static String createTable(LakeTable table, String database, String location) {
    String folder = location.endsWith("/") ? location : location + "/";
    StringBuilder ddl = new StringBuilder("CREATE EXTERNAL TABLE IF NOT EXISTS `").append(database).append("`.`")
        .append(table.name()).append("` (\n");
    ddl.append(String.join(",\n", table.dataColumns().stream().map(TableDdl::column).toList())).append("\n)\n");
    if (table.partitioned()) {
      ddl.append("PARTITIONED BY (`year` int, `month` int, `day` int)\n");
    }
    ddl.append("STORED AS PARQUET\n");
    ddl.append("LOCATION '").append(folder).append("'\n");
    List<String> properties = new ArrayList<>();
    tableProperties(table, folder).forEach((k, v) -> properties.add("  '" + k + "'='" + v + "'"));
    ddl.append("TBLPROPERTIES (\n").append(String.join(",\n", properties)).append("\n)");
    return ddl.toString();
  }

  /** The table's properties: Snappy Parquet, and partition projection when partitioned. */
  private static Map<String, String> tableProperties(LakeTable table, String folder) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("parquet.compression", "SNAPPY");
    properties.put("shoplake.declared", "true");
    if (table.partitioned()) {
      properties.put("projection.enabled", "true");
      properties.put("projection.year.type", "integer");
      properties.put("projection.year.range", YEAR_RANGE);
      properties.put("projection.month.type", "integer");
      properties.put("projection.month.range", "1,12");
      properties.put("projection.day.type", "integer");
      properties.put("projection.day.range", "1,31");
      properties.put("storage.location.template", folder + "year=${year}/month=${month}/day=${day}");
    }
    return properties;
  }

  private static String column(StructField field) {
    return "  `" + field.name() + "` " + field.dataType().catalogString();
  }
}

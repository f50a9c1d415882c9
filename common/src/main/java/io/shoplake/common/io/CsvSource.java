package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;

import io.shoplake.common.lake.InputFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw CSV files as strings, by column name. Each file's header is read first
 * ({@link CsvHeaders}); files are read in groups of equal header, each with a schema in that
 * header's order, so columns in another order or extra columns never shift values (extra columns are
 * logged and left out). A line with the wrong number of fields is kept, its text in the corrupt-record
 * column, so a rule can quarantine it. One scan of the data, splittable; one small read per file
 * for its header.
 *
 * <p>Adds {@code source_file} (path under the lake root, the lineage value) and {@code raw_date}
 * (its {@code date=} folder).
 */
public final class CsvSource {
  private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);

  private CsvSource() {}

  /**
   * @param columns the contract's columns, in the order of the result
   * @param corruptColumn name of the column that receives unsplittable lines
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, List<String> columns,
      String corruptColumn) {
    Map<List<String>, List<InputFile>> groups =
        CsvHeaders.groupByHeader(files, columns, spark.sparkContext().hadoopConfiguration());
    List<Column> selected = new ArrayList<>();
    columns.forEach(c -> selected.add(col(c)));
    selected.add(col(corruptColumn));
    Dataset<Row> all = null;
    for (Map.Entry<List<String>, List<InputFile>> group : groups.entrySet()) {
      List<String> extra = CsvHeaders.extraColumns(group.getKey(), columns);
      if (!extra.isEmpty()) {
        LOG.warn("Extra columns {} left out of {} file(s), e.g. {}", extra, group.getValue().size(),
            group.getValue().get(0).relativePath());
      }
      StructType schema = new StructType();
      for (String name : group.getKey()) {
        schema = schema.add(name, DataTypes.StringType, true);
      }
      schema = schema.add(corruptColumn, DataTypes.StringType, true);
      Dataset<Row> read = spark.read()
          .schema(schema)
          .option("header", "true")
          .option("enforceSchema", "true")
          .option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", corruptColumn)
          .option("encoding", "UTF-8")
          .option("multiLine", "false")
          .csv(group.getValue().stream().map(InputFile::path).toArray(String[]::new))
          .select(selected.toArray(new Column[0]));
      all = all == null ? read : all.unionByName(read);
    }
    if (all == null) {
      StructType empty = new StructType();
      for (String name : columns) {
        empty = empty.add(name, DataTypes.StringType, true);
      }
      all = spark.createDataFrame(List.of(), empty.add(corruptColumn, DataTypes.StringType, true));
    }
    return Lineage.withSourceFile(all);
  }
}

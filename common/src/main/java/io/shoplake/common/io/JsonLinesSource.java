package io.shoplake.common.io;

import io.shoplake.common.lake.InputFile;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads raw JSON Lines files with a declared schema of strings: every contract field is read as the
 * text of its JSON value (a number as written, {@code true}, an object as its JSON text), so typing
 * is left to the dataset's rules, exactly as for CSV. A line that is not a JSON object lands in the
 * corrupt-record column for a rule to quarantine; blank lines are skipped. Fields not in the contract
 * are ignored. One splittable scan; nothing is inferred.
 *
 * <p>Adds {@code source_file} and {@code raw_date} ({@link Lineage}).
 */
public final class JsonLinesSource {
  private JsonLinesSource() {}

  /**
   * @param fields the contract's fields, in the order of the result
   * @param corruptColumn name of the column that receives lines that do not parse
   */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, List<String> fields,
      String corruptColumn) {
    StructType schema = new StructType();
    for (String field : fields) {
      schema = schema.add(field, DataTypes.StringType, true);
    }
    schema = schema.add(corruptColumn, DataTypes.StringType, true);
    if (files.isEmpty()) {
      return Lineage.withSourceFile(spark.createDataFrame(List.of(), schema));
    }
    Dataset<Row> read = spark.read()
        .schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", corruptColumn)
        .option("encoding", "UTF-8")
        .option("multiLine", "false")
        .json(files.stream().map(InputFile::path).toArray(String[]::new));
    return Lineage.withSourceFile(read);
  }
}

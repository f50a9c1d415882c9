package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.regexp_extract;

import io.shoplake.common.lake.InputFile;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Reads raw CSV files with a declared all-string schema. One header row per file, checked against
 * the schema's names ({@code enforceSchema=false}: a file whose header does not match fails the read
 * rather than shifting columns silently). A line with the wrong number of fields is kept, its text in
 * the schema's corrupt-record column, so a rule can quarantine it.
 *
 * <p>Adds {@code source_file} (path under the lake root, the lineage value) and {@code raw_date}
 * (its {@code date=} folder). One scan, splittable: Spark reads large files in parallel.
 */
public final class CsvSource {
  private CsvSource() {}

  /** {@code schema} must end with the corrupt-record column, named {@code _corrupt_record}. */
  public static Dataset<Row> read(SparkSession spark, List<InputFile> files, StructType schema) {
    String corrupt = schema.fields()[schema.fields().length - 1].name();
    String[] paths = files.stream().map(InputFile::path).toArray(String[]::new);
    return spark.read()
        .schema(schema)
        .option("header", "true")
        .option("enforceSchema", "false")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", corrupt)
        .option("encoding", "UTF-8")
        .option("multiLine", "false")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .csv(paths)
        .withColumn("source_file", regexp_extract(input_file_name(), "(raw/[^/]+/date=[^/]+/[^/]+)$", 1))
        .withColumn("raw_date", regexp_extract(col("source_file"), "date=([^/]+)/", 1));
  }
}

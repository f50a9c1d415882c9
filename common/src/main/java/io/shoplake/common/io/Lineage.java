package io.shoplake.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.regexp_extract;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lineage columns of rows read from the raw zone: {@code source_file}, the path under the lake
 * root ({@code raw/<dataset>/date=…/<file>}, the same whatever the root's scheme), and
 * {@code raw_date}, its {@code date=} folder. Must be applied directly on a file scan (it reads
 * {@code input_file_name()}).
 */
public final class Lineage {
  private Lineage() {}

  public static Dataset<Row> withSourceFile(Dataset<Row> scanned) {
    return scanned
        .withColumn("source_file", regexp_extract(input_file_name(), "(raw/[^/]+/date=[^/]+/[^/]+)$", 1))
        .withColumn("raw_date", regexp_extract(col("source_file"), "date=([^/]+)/", 1));
  }
}

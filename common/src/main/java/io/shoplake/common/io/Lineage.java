package io.shoplake.common.io;

import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lineage columns of rows read from the raw zone: {@code source_file}, the path under the lake
 * root ({@code raw/<dataset>/date=…/<file>}, the same whatever the root's scheme), and
 * {@code raw_date}, its {@code date=} folder. Must be applied directly on a file scan (it reads
 * {@code input_file_name()}).
 *
 * <p>Both are cut from the path with {@code substring_index}, not a regular expression: they are
 * computed for every row, and two regex searches over the whole path of every row were a visible part
 * of the first pass (with the shared parse of typed fields, 1M transactions went from about 39 s to
 * 36 s). A path not shaped {@code …/raw/<dataset>/date=<d>/<file>} (never one the raw zone lists) gets
 * empty strings, as the regular expression gave.
 */
public final class Lineage {
  private static final String DATE_FOLDER = "date=";

  private Lineage() {}

  public static Dataset<Row> withSourceFile(Dataset<Row> scanned) {
    Column lastFour = substring_index(input_file_name(), "/", -4);
    Column dateFolder = substring_index(substring_index(lastFour, "/", 3), "/", -1);
    Column shaped = substring_index(lastFour, "/", 1).equalTo("raw")
        .and(dateFolder.startsWith(DATE_FOLDER)).and(length(dateFolder).gt(DATE_FOLDER.length()));
    return scanned
        .withColumn("source_file", when(shaped, lastFour).otherwise(""))
        .withColumn("raw_date", when(shaped, dateFolder.substr(lit(DATE_FOLDER.length() + 1), length(dateFolder)))
            .otherwise(""));
  }
}

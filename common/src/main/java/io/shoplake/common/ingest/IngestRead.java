package io.shoplake.common.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the files of an ingested dataset with its contract's columns, as {@link Staging#read} does for a
 * declared one, except that a CSV file may lack some contract columns (it predates them, or they were
 * left out): those read as null there. JSON Lines needs nothing more (a missing key is null). One
 * scan per CSV header, as {@link CsvSource}.
 */
final class IngestRead {
  private IngestRead() {}

  static Dataset<Row> read(SparkSession spark, RawDataset dataset, List<InputFile> files) {
    if (dataset.format() == RawDataset.Format.JSON_LINES || files.isEmpty()) {
      return Staging.read(spark, dataset, files);
    }
    Dataset<Row> all = null;
    for (Map.Entry<List<String>, List<InputFile>> group
        : CsvHeaders.groupByHeader(files, List.of(), spark.sparkContext().hadoopConfiguration()).entrySet()) {
      List<String> present = dataset.fields().stream().filter(group.getKey()::contains).toList();
      Dataset<Row> read = CsvSource.read(spark, group.getValue(), present, RawFields.CORRUPT_RECORD);
      List<Column> columns = new ArrayList<>();
      for (String field : dataset.fields()) {
        columns.add(present.contains(field) ? col(field) : lit(null).cast("string").as(field));
      }
      List.of(RawFields.CORRUPT_RECORD, "source_file", "raw_date").forEach(c -> columns.add(col(c)));
      read = read.select(columns.toArray(new Column[0]));
      all = all == null ? read : all.unionByName(read);
    }
    return all == null ? Staging.read(spark, dataset, List.of()) : all;
  }
}

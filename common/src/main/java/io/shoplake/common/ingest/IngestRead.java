package io.shoplake.common.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.JsonLinesSource;
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
 * Reads the files of an ingested dataset with its contract's columns, as
 * {@link Staging#read} does for a declared one, with two differences: each
 * column is renamed from its source name (a CSV header, a JSON key) to its lake name, and a CSV file may
 * lack some contract columns (it predates them, or they were left out), which read as null there; in
 * JSON Lines a missing key is null anyway. One scan per CSV header, as {@link CsvSource}.
 */
final class IngestRead {
  private static final List<String> LINEAGE = List.of(RawFields.CORRUPT_RECORD, "source_file", "raw_date");

  private IngestRead() {}

  static Dataset<Row> read(SparkSession spark, SchemaContract contract, List<InputFile> files) {
    if (contract.format() == RawDataset.Format.JSON_LINES) {
      return renamed(JsonLinesSource.read(spark, files, contract.sources(), RawFields.CORRUPT_RECORD), contract,
          contract.sources(), List.of(JsonLinesSource.LINE_FAULT));
    }
    Dataset<Row> all = null;
    for (Map.Entry<List<String>, List<InputFile>> group
        : CsvHeaders.groupByHeader(files, List.of(), spark.sparkContext().hadoopConfiguration()).entrySet()) {
      List<String> present = contract.sources().stream().filter(group.getKey()::contains).toList();
      Dataset<Row> read = renamed(CsvSource.read(spark, group.getValue(), present, RawFields.CORRUPT_RECORD), contract,
          present, List.of());
      all = all == null ? read : all.unionByName(read);
    }
    return all != null ? all
        : renamed(CsvSource.read(spark, List.of(), contract.sources(), RawFields.CORRUPT_RECORD), contract,
            contract.sources(), List.of());
  }

  /** The contract's columns by lake name ({@code present} ones from the read, the others null), then lineage. */
  private static Dataset<Row> renamed(Dataset<Row> read, SchemaContract contract, List<String> present,
      List<String> readerColumns) {
    List<Column> columns = new ArrayList<>();
    for (SchemaContract.Column c : contract.columns()) {
      columns.add((present.contains(c.source()) ? read.col("`" + c.source() + "`") : lit(null).cast("string"))
          .as(c.name()));
    }
    readerColumns.forEach(c -> columns.add(col(c)));
    LINEAGE.forEach(c -> columns.add(read.col(c)));
    return read.select(columns.toArray(new Column[0]));
  }
}

package io.shoplake.common.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.io.CsvHeaders;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.io.LiteralPaths;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The bounded sample of a file the contract has not seen: its first {@code rows} records, read by
 * Spark's own reader (so CSV quoting is read exactly as the full read will) and collected to the driver,
 * where {@link SchemaEvolution} types each column ({@link ColumnTypes#infer}). Cost per file: one small Spark job that stops after
 * {@code rows} records (a limit), never a scan of the whole file.
 */
public final class FileSampler {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private FileSampler() {}

  public static SchemaEvolution.FileSample sample(SparkSession spark, RawDataset.Format format, InputFile file,
      int rows) {
    Map<String, List<String>> values = format == RawDataset.Format.CSV ? csv(spark, file, rows) : jsonLines(spark, file, rows);
    return new SchemaEvolution.FileSample(file.relativePath(), values);
  }

  private static Map<String, List<String>> csv(SparkSession spark, InputFile file, int rows) {
    List<String> header = CsvHeaders.header(file, spark.sparkContext().hadoopConfiguration());
    Map<String, List<String>> values = new LinkedHashMap<>();
    header.forEach(h -> values.put(h, new ArrayList<>()));
    if (!CsvHeaders.repeatedNames(CsvHeaders.withContractNames(header, header)).isEmpty()) {
      // Names that differ only in letter case ("Name", "name"): the readers take them for one column, so the
      // file is not read; SchemaEvolution rejects it by its names (schema_column_names).
      return values;
    }
    for (Row row : CsvSource.read(spark, List.of(file), header, RawFields.CORRUPT_RECORD)
        .filter(org.apache.spark.sql.functions.col(RawFields.CORRUPT_RECORD).isNull())
        .limit(rows).collectAsList()) {
      for (int i = 0; i < header.size(); i++) {
        values.get(header.get(i)).add(cleaned(row.getString(i)));
      }
    }
    return values;
  }

  private static Map<String, List<String>> jsonLines(SparkSession spark, InputFile file, int rows) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    List<Row> lines = spark.read().option("lineSep", "\n").text(LiteralPaths.escaped(file.path()))
        .filter(org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.col("value")
            .rlike(JsonLinesSource.BLANK_LINE)))
        .limit(rows).collectAsList();
    for (Row line : lines) {
      JsonNode node;
      try {
        node = JSON.readTree(line.getString(0).replaceFirst("^\uFEFF", ""));
      } catch (IOException e) {
        continue; // not one object: the full read quarantines the line with its reason
      }
      if (node == null || !node.isObject()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = field.getValue();
        String text = value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
        values.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(cleaned(text));
      }
    }
    return values;
  }

  /** As the rules see a value: trimmed, empty as missing. */
  private static String cleaned(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }
}

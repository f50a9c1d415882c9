package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.upper;
import static io.shoplake.common.transform.Clean.text;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.io.CsvSource;
import io.shoplake.common.io.QuarantineSink;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.lake.LakePaths;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.transform.Deduplication;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads every raw FX rate file, quarantines the bad rows (and repeated currency/date pairs: the
 * latest file wins), and returns the rates' validity ranges as a local relation: they are a few
 * thousand rows, collected to the driver once and broadcast to every transaction task.
 */
public final class FxRateSource {
  /**
   * @param ranges validity ranges for {@link TransactionTransforms#withUsdAmounts}, a local relation
   * @param rowsRead FX rows read
   * @param rejectedByReason FX rows quarantined, by reason
   */
  public record Loaded(Dataset<Row> ranges, long rowsRead, Map<String, Long> rejectedByReason) {}

  private FxRateSource() {}

  public static Loaded load(SparkSession spark, List<InputFile> files, LakePaths paths, String dataset,
      String runId, java.time.Instant latestAccepted) {
    if (files.isEmpty()) {
      Dataset<Row> noRates = FxRates.validityRanges(
          spark.createDataFrame(List.of(), FxRates.rawCsv()).select(
              col("rate_date").cast("date").as("rate_date"), col("currency"),
              col("usd_rate").cast(TransactionSchema.FX_RATE).as("usd_rate")));
      return new Loaded(noRates, 0, Map.of());
    }
    // One small job reads the rates; everything after works on local relations built from the
    // collected rows, which Spark evaluates and broadcasts without scanning again.
    Dataset<Row> read = CsvSource.read(spark, files, FxRates.RAW_COLUMNS, RawFields.CORRUPT_RECORD)
        .transform(RowRules.withRejectReason(FxRates.rules(latestAccepted)));
    List<Row> validatedRows = read.collectAsList();
    Dataset<Row> validated = spark.createDataFrame(validatedRows, read.schema());
    // Repeated (currency, rate_date): the latest file wins.
    Dataset<Row> keyed = validated.filter(col(RowRules.REJECT_REASON).isNull()).drop(RowRules.REJECT_REASON)
        .withColumn("_fx_key", concat_ws("|", upper(text("currency")), text("rate_date")));
    Dataset<Row> dedupedPlan = Deduplication.markDuplicates(keyed, "_fx_key",
        List.of(col("source_file").desc(), text("usd_rate").desc()),
        Deduplication.repeatedKeys(keyed, "_fx_key"), true).drop("_fx_key");
    List<Row> dedupedRows = dedupedPlan.collectAsList();
    Dataset<Row> deduped = spark.createDataFrame(dedupedRows, dedupedPlan.schema());

    Map<String, Long> rejected = new TreeMap<>();
    Set<String> datesWithRejects = new TreeSet<>();
    int reason = read.schema().fieldIndex(RowRules.REJECT_REASON);
    int rawDate = read.schema().fieldIndex("raw_date");
    int sourceFile = read.schema().fieldIndex("source_file");
    Map<String, Long> rowsByFile = new TreeMap<>();
    validatedRows.forEach(row -> rowsByFile.merge(row.getString(sourceFile), 1L, Long::sum));
    io.shoplake.common.io.RecordAccounting.verify("FX rate files", files, rowsByFile);
    for (Row row : validatedRows) {
      if (!row.isNullAt(reason)) {
        rejected.merge(row.getString(reason), 1L, Long::sum);
        datesWithRejects.add(row.getString(rawDate));
      }
    }
    int dedupReason = dedupedPlan.schema().fieldIndex(RowRules.REJECT_REASON);
    int dedupDate = dedupedPlan.schema().fieldIndex("raw_date");
    for (Row row : dedupedRows) {
      if (!row.isNullAt(dedupReason)) {
        rejected.merge(Deduplication.DUPLICATE, 1L, Long::sum);
        datesWithRejects.add(row.getString(dedupDate));
      }
    }
    Dataset<Row> allRejected = validated.filter(col(RowRules.REJECT_REASON).isNotNull())
        .unionByName(deduped.filter(col(RowRules.REJECT_REASON).isNotNull()));
    QuarantineSink.write(allRejected, FxRates.RAW_COLUMNS, RawFields.CORRUPT_RECORD, runId,
        paths.quarantine(dataset), InputFile.rawDates(files), datesWithRejects,
        spark.sparkContext().hadoopConfiguration());

    Dataset<Row> rangesPlan = FxRates.validityRanges(FxRates.typed(deduped.filter(col(RowRules.REJECT_REASON).isNull())));
    Dataset<Row> ranges = spark.createDataFrame(rangesPlan.collectAsList(), rangesPlan.schema());
    return new Loaded(ranges, validatedRows.size(), rejected);
  }

}

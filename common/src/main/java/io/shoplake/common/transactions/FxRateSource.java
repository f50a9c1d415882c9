package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.upper;
import static io.shoplake.common.transform.Clean.text;

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
import org.apache.spark.storage.StorageLevel;

/**
 * Reads every raw FX rate file, quarantines the bad rows (and repeated currency/date pairs: the
 * latest file wins), and returns the rates' validity ranges, cached: they are a few thousand rows,
 * broadcast to every transaction task.
 */
public final class FxRateSource {
  /**
   * @param ranges validity ranges for {@link TransactionTransforms#withUsdAmounts}, cached
   * @param rowsRead FX rows read
   * @param rejectedByReason FX rows quarantined, by reason
   */
  public record Loaded(Dataset<Row> ranges, long rowsRead, Map<String, Long> rejectedByReason) {}

  private FxRateSource() {}

  public static Loaded load(SparkSession spark, List<InputFile> files, LakePaths paths, String dataset,
      String runId) {
    if (files.isEmpty()) {
      Dataset<Row> noRates = FxRates.validityRanges(
          spark.createDataFrame(List.of(), FxRates.rawCsv()).select(
              col("rate_date").cast("date").as("rate_date"), col("currency"),
              col("usd_rate").cast(TransactionSchema.FX_RATE).as("usd_rate")));
      return new Loaded(noRates, 0, Map.of());
    }
    Dataset<Row> validated = CsvSource.read(spark, files, FxRates.rawCsv())
        .transform(RowRules.withRejectReason(FxRates.rules()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Repeated (currency, rate_date): the latest file wins.
    Dataset<Row> keyed = validated.filter(col(RowRules.REJECT_REASON).isNull()).drop(RowRules.REJECT_REASON)
        .withColumn("_fx_key", concat_ws("|", upper(text("currency")), text("rate_date")));
    Dataset<Row> deduped = Deduplication.markDuplicates(keyed, "_fx_key",
        List.of(col("source_file").desc(), text("usd_rate").desc()),
        Deduplication.repeatedKeys(keyed, "_fx_key"), true).persist(StorageLevel.MEMORY_AND_DISK());

    Map<String, Long> rejected = new TreeMap<>();
    Set<String> datesWithRejects = new TreeSet<>();
    long rowsRead = 0;
    for (Row row : validated.groupBy(col(RowRules.REJECT_REASON), col("raw_date")).count().collectAsList()) {
      rowsRead += row.getLong(2);
      if (!row.isNullAt(0)) {
        rejected.merge(row.getString(0), row.getLong(2), Long::sum);
        datesWithRejects.add(row.getString(1));
      }
    }
    for (Row row : deduped.filter(col(RowRules.REJECT_REASON).isNotNull())
        .groupBy(col("raw_date")).count().collectAsList()) {
      rejected.merge(Deduplication.DUPLICATE, row.getLong(1), Long::sum);
      datesWithRejects.add(row.getString(0));
    }
    Dataset<Row> allRejected = validated.filter(col(RowRules.REJECT_REASON).isNotNull())
        .unionByName(deduped.filter(col(RowRules.REJECT_REASON).isNotNull()).drop("_fx_key"));
    QuarantineSink.write(allRejected, FxRates.RAW_COLUMNS, TransactionSchema.CORRUPT_RECORD, runId,
        paths.quarantine(dataset), rawDates(files), datesWithRejects,
        spark.sparkContext().hadoopConfiguration());

    Dataset<Row> ranges = FxRates.validityRanges(
        FxRates.typed(deduped.filter(col(RowRules.REJECT_REASON).isNull())))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ranges.count();
    deduped.unpersist();
    validated.unpersist();
    return new Loaded(ranges, rowsRead, rejected);
  }

  static Set<String> rawDates(List<InputFile> files) {
    Set<String> dates = new TreeSet<>();
    files.forEach(f -> dates.add(f.rawDate()));
    return dates;
  }
}

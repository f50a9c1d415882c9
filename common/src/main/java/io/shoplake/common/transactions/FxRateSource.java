package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.col;

import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RawFields;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads every raw FX rate file through the shared staging path ({@link FxRates#DATASET}: bad rows and
 * repeated currency/date pairs quarantined), and returns the rates' validity ranges as a local relation:
 * they are a few thousand rows, collected to the driver once and broadcast to every transaction task.
 * Cost: one small CSV scan (cached), a count aggregation, the key aggregation, the quarantine write and
 * one collect.
 */
public final class FxRateSource {
  /**
   * @param ranges validity ranges for {@link TransactionTransforms#withUsdAmounts}, a local relation
   * @param rowsRead FX rows read
   * @param rejectedByReason FX rows quarantined, by reason
   */
  public record Loaded(Dataset<Row> ranges, long rowsRead, Map<String, Long> rejectedByReason) {}

  private FxRateSource() {}

  /** @param folder the raw folder of the rates ({@code raw/<folder>/}) */
  public static Loaded load(JobContext ctx, List<InputFile> files, String folder) {
    SparkSession spark = ctx.spark();
    if (files.isEmpty()) {
      Dataset<Row> noRates = FxRates.validityRanges(
          spark.createDataFrame(List.of(), FxRates.rawCsv()).select(
              col("rate_date").cast("date").as("rate_date"), col("currency"),
              col("usd_rate").cast(TransactionSchema.FX_RATE).as("usd_rate")));
      return new Loaded(noRates, 0, Map.of());
    }
    Staged staged = Staging.stage(spark, FxRates.DATASET, files, Staging.Run.of(ctx));
    Dataset<Row> classified = staged.classified();
    RowCounts counts = staged.counts(files);
    DatasetSink.quarantine(ctx, classified, FxRates.DATASET, folder, InputFile.rawDates(files),
        counts.rawDatesWithRejects());
    Dataset<Row> rangesPlan = FxRates.validityRanges(
        DatasetSink.kept(classified, List.of("rate_date", "currency", "usd_rate", "source_file")));
    Dataset<Row> ranges = spark.createDataFrame(rangesPlan.collectAsList(), rangesPlan.schema());
    staged.release();
    return new Loaded(ranges, counts.rowsRead(), counts.rejectedByReason());
  }
}

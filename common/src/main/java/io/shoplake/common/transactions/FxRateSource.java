package io.shoplake.common.transactions;

import io.shoplake.common.dataset.DatasetSink;
import io.shoplake.common.dataset.Staged;
import io.shoplake.common.dataset.Staging;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.InputFile;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads every raw FX rate file through the shared staging path ({@link FxRates#DATASET}: bad rows and
 * repeated currency/date pairs quarantined), and returns the rates' validity ranges as a local relation,
 * broadcast to every transaction task.
 *
 * <p>The rates are a reference table of a few thousand rows, so their classified rows are collected to
 * the driver once and everything else is computed from that copy: the row counts and the validity ranges
 * on the driver, the quarantine written from a local relation. Cost: one small CSV scan (cached), the
 * key aggregation of the deduplication, one collect, and the quarantine write when a row was rejected;
 * each Spark execution avoided here saves about a second of planning on a small run.
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
      return new Loaded(FxRates.validityRanges(spark, List.of()), 0, Map.of());
    }
    Staged staged = Staging.stage(spark, FxRates.DATASET, files, Staging.Run.of(ctx));
    Staged.Collected rates = staged.collect(files);
    staged.release();
    DatasetSink.quarantine(ctx, rates.asDataset(spark), FxRates.DATASET, folder, InputFile.rawDates(files),
        rates.counts().rawDatesWithRejects());
    return new Loaded(FxRates.validityRanges(spark, rates.kept()), rates.counts().rowsRead(),
        rates.counts().rejectedByReason());
  }
}

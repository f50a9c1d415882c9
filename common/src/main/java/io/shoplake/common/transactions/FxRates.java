package io.shoplake.common.transactions;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.dataset.Dedup;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import io.shoplake.common.rules.RowRule;
import java.util.Map;
import io.shoplake.common.transform.Clean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * FX rates (raw/fx_rates, CSV {@code rate_date,currency,usd_rate}): one unit of {@code currency} in
 * USD from {@code rate_date} on. A small reference dataset: every transform here works on a few
 * thousand rows, and its result is broadcast to the transactions.
 */
public final class FxRates {
  public static final List<String> RAW_COLUMNS = List.of("rate_date", "currency", "usd_rate");
  /** The deduplication key: currency and date. */
  static final String KEY = "_fx_key";
  static final String RATE_PATTERN = Clean.decimalPattern(18, 8);

  private FxRates() {}

  /** The typed fields: the rate's date and the rate; currency stays a (cleaned, upper-case) string. */
  public static final StructType TYPED = new StructType()
      .add("rate_date", DataTypes.DateType)
      .add("usd_rate", TransactionSchema.FX_RATE);

  /**
   * FX rates as a {@link RawDataset}: one row per currency and date ({@code _fx_key}); a repeated pair is
   * quarantined as {@code duplicate}, the later file's row winning, then the larger rate as written.
   */
  public static final RawDataset DATASET = RawDataset.of("fx_rates", RawDataset.Format.CSV, RAW_COLUMNS, TYPED,
          FxRates::rules)
      .normalising(Map.of("currency", c -> upper(c)))
      .deriving(rates -> rates.withColumn(KEY, concat_ws("|", col("currency"), col("rate_date"))))
      .deduplicatedBy(Dedup.quarantining(KEY, col("source_file").desc(), trim(col(RawFields.RAW + ".usd_rate")).desc()));

  /** @param latestAccepted rates dated after this instant's UTC date are quarantined as future_rate_date */
  static List<RowRule> rules(java.time.Instant latestAccepted) {
    return List.of(
        rule("missing_rate_date", col("rate_date").isNull()),
        rule("invalid_rate_date", not(col("rate_date").rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .or(Typing.parsed("rate_date").isNull())),
        FutureTimes.dateNotAfter("rate_date", Typing.parsed("rate_date"), latestAccepted),
        rule("missing_currency", col("currency").isNull()),
        rule("invalid_currency", not(col("currency").rlike("^[A-Z]{3}$"))),
        rule("missing_usd_rate", col("usd_rate").isNull()),
        rule("invalid_usd_rate", not(col("usd_rate").rlike(RATE_PATTERN))),
        rule("non_positive_usd_rate", Typing.parsed("usd_rate").leq(0)));
  }

  /** The columns of {@link #validityRanges}. */
  public static final StructType RANGES = new StructType()
      .add("fx_currency", DataTypes.StringType)
      .add("valid_from", DataTypes.DateType)
      .add("valid_until", DataTypes.DateType)
      .add("usd_rate", TransactionSchema.FX_RATE);

  /**
   * For each rate, the dates it applies to: {@code fx_currency}, {@code valid_from} (its rate_date,
   * inclusive), {@code valid_until} (the next rate_date of the currency, exclusive; null for the
   * newest) and {@code usd_rate}, as a local relation ({@link #RANGES}). Input: deduplicated typed rates
   * (one per currency and date; fields {@code rate_date}, {@code currency}, {@code usd_rate}), already on
   * the driver: a sort of a few thousand rows here costs less than planning and running a Spark window.
   */
  public static Dataset<Row> validityRanges(SparkSession spark, List<Row> rates) {
    List<Row> sorted = new ArrayList<>(rates);
    sorted.sort(Comparator.comparing((Row r) -> r.<String>getAs("currency"))
        .thenComparing(r -> r.<Comparable<Object>>getAs("rate_date")));
    List<Row> ranges = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      Row rate = sorted.get(i);
      Row next = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
      boolean sameCurrency = next != null && next.<String>getAs("currency").equals(rate.getAs("currency"));
      ranges.add(RowFactory.create(rate.getAs("currency"), rate.getAs("rate_date"),
          sameCurrency ? next.getAs("rate_date") : null, rate.getAs("usd_rate")));
    }
    return spark.createDataFrame(ranges, RANGES);
  }
}

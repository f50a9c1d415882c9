package io.shoplake.common.transactions;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static io.shoplake.common.transform.Clean.text;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * FX rates (raw/fx_rates, CSV {@code rate_date,currency,usd_rate}): one unit of {@code currency} in
 * USD from {@code rate_date} on. A small reference dataset: every transform here works on a few
 * thousand rows, and its result is broadcast to the transactions.
 */
public final class FxRates {
  public static final List<String> RAW_COLUMNS = List.of("rate_date", "currency", "usd_rate");
  static final String RATE_PATTERN = Clean.decimalPattern(18, 8);

  private FxRates() {}

  public static StructType rawCsv() {
    StructType schema = new StructType();
    for (String column : RAW_COLUMNS) {
      schema = schema.add(column, DataTypes.StringType, true);
    }
    return schema.add(RawFields.CORRUPT_RECORD, DataTypes.StringType, true);
  }

  /** @param latestAccepted rates dated after this instant's UTC date are quarantined as future_rate_date */
  public static List<RowRule> rules(java.time.Instant latestAccepted) {
    return List.of(
        rule("malformed_row", col(RawFields.CORRUPT_RECORD).isNotNull()),
        rule("missing_rate_date", text("rate_date").isNull()),
        rule("invalid_rate_date", not(text("rate_date").rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .or(to_date(text("rate_date")).isNull())),
        FutureTimes.dateNotAfter("rate_date", to_date(text("rate_date")), latestAccepted),
        rule("missing_currency", text("currency").isNull()),
        rule("invalid_currency", not(upper(text("currency")).rlike("^[A-Z]{3}$"))),
        rule("missing_usd_rate", text("usd_rate").isNull()),
        rule("invalid_usd_rate", not(text("usd_rate").rlike(RATE_PATTERN))),
        rule("non_positive_usd_rate", text("usd_rate").cast(TransactionSchema.FX_RATE).leq(0)));
  }

  /** Typed columns of valid rows: rate_date (date), currency, usd_rate decimal(18,8). */
  public static Dataset<Row> typed(Dataset<Row> valid) {
    return valid.select(
        to_date(text("rate_date")).as("rate_date"),
        upper(text("currency")).as("currency"),
        text("usd_rate").cast(TransactionSchema.FX_RATE).as("usd_rate"),
        col("source_file"));
  }

  /**
   * For each rate, the dates it applies to: {@code fx_currency}, {@code valid_from} (its rate_date,
   * inclusive), {@code valid_until} (the next rate_date of the currency, exclusive; null for the
   * newest) and {@code usd_rate}. Input: deduplicated typed rates (one per currency and date).
   */
  public static Dataset<Row> validityRanges(Dataset<Row> rates) {
    Contracts.requireColumns(rates, "build FX validity ranges", "rate_date", "currency", "usd_rate");
    return rates.select(
        col("currency").as("fx_currency"),
        col("rate_date").as("valid_from"),
        lead(col("rate_date"), 1).over(Window.partitionBy("currency").orderBy("rate_date")).as("valid_until"),
        col("usd_rate"));
  }
}

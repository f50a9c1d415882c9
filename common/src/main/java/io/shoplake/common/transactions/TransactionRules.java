package io.shoplake.common.transactions;

import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Cleaning and the row rules of raw transactions. {@link #clean} keeps the fields as read in a
 * {@code _raw} struct (for quarantine) and replaces each column by its cleaned string: surrounding
 * blanks dropped, an empty field missing, currency and country codes upper-case, statuses lower-case.
 * The rules then read the cleaned strings, in order; the first one a row breaks is its
 * {@code reject_reason}. They run before any cast, so a value that cannot be cast is a named
 * rejection, never a silent null. Cleaning once, in its own projection, keeps the rule expression
 * small: every rule reads a column instead of re-trimming it.
 */
public final class TransactionRules {
  static final String MONEY_PATTERN = Clean.decimalPattern(12, 2);

  /** The largest gross or net amount that fits decimal(18,2). */
  static final java.math.BigDecimal MAX_AMOUNT = new java.math.BigDecimal("9999999999999999.99");

  private TransactionRules() {}

  /** The struct column holding the fields exactly as read. */
  public static final String RAW = RawFields.RAW;

  /**
   * The parsed timestamp (UTC for values without an offset: the session time zone is UTC); null unless
   * the text is a {@link Clean#TIMESTAMP_PATTERN}.
   */
  static Column transactionTs() {
    return Typing.parsed("transaction_ts");
  }

  static Column quantity() {
    return Typing.parsed("quantity");
  }

  static Column money(String column) {
    return Typing.parsed(column);
  }

  /** An optional amount as the rules see it: 0 when missing. */
  static Column moneyOrZero(String column) {
    return orZero(money(column));
  }

  /** {@code amount}, 0 when missing. */
  private static Column orZero(Column amount) {
    return coalesce(amount, lit(0).cast(TransactionSchema.MONEY));
  }

  /**
   * Raw transactions (CSV, or stg_core's order items as the same string columns) as a
   * {@link RawDataset}: cleaned, checked by {@link #rules}, typed, optional amounts 0 when missing,
   * partitioned by the UTC day of {@code transaction_ts}. Deduplication is the transaction job's own:
   * it merges with the rows already processed ({@link TransactionEtl}).
   */
  public static final RawDataset DATASET = RawDataset.of("transactions", RawDataset.Format.CSV,
          TransactionSchema.RAW_COLUMNS, new StructType()
              .add("quantity", DataTypes.IntegerType)
              .add("unit_price", TransactionSchema.MONEY)
              .add("discount_amount", TransactionSchema.MONEY)
              .add("tax_amount", TransactionSchema.MONEY)
              .add("transaction_ts", DataTypes.TimestampType),
          TransactionRules::rules)
      .normalising(Map.of("currency", c -> upper(c), "shipping_country", c -> upper(c), "status", c -> lower(c)))
      .deriving(typed -> typed
          .withColumn("discount_amount", orZero(col("discount_amount")))
          .withColumn("tax_amount", orZero(col("tax_amount"))))
      .partitionedByDayOf("transaction_ts");

  /**
   * The rules of a transaction after the reader's, in evaluation order; they read the columns as
   * cleaning leaves them.
   *
   * @param latestAccepted the latest transaction time accepted (the run's start plus the future tolerance)
   */
  public static List<RowRule> rules(java.time.Instant latestAccepted) {
    return List.of(
        rule("missing_transaction_id", col("transaction_id").isNull()),
        rule("missing_customer_id", col("customer_id").isNull()),
        rule("missing_product_id", col("product_id").isNull()),
        rule("missing_quantity", col("quantity").isNull()),
        rule("invalid_quantity", not(col("quantity").rlike(Clean.INT_PATTERN))),
        rule("non_positive_quantity", quantity().leq(0)),
        rule("missing_unit_price", col("unit_price").isNull()),
        rule("invalid_unit_price", not(col("unit_price").rlike(MONEY_PATTERN))),
        rule("negative_unit_price", money("unit_price").lt(0)),
        rule("invalid_discount_amount", not(col("discount_amount").rlike(MONEY_PATTERN))),
        rule("negative_discount_amount", money("discount_amount").lt(0)),
        rule("discount_exceeds_gross",
            moneyOrZero("discount_amount").gt(quantity().multiply(money("unit_price")))),
        rule("invalid_tax_amount", not(col("tax_amount").rlike(MONEY_PATTERN))),
        rule("negative_tax_amount", money("tax_amount").lt(0)),
        rule("amount_out_of_range", quantity().multiply(money("unit_price")).plus(moneyOrZero("tax_amount"))
            .gt(lit(MAX_AMOUNT))),
        rule("missing_currency", col("currency").isNull()),
        rule("invalid_currency", not(col("currency").rlike("^[A-Z]{3}$"))),
        rule("missing_status", col("status").isNull()),
        rule("invalid_status", not(col("status").isin(TransactionSchema.STATUSES.toArray()))),
        rule("missing_transaction_ts", col("transaction_ts").isNull()),
        rule("invalid_transaction_ts", transactionTs().isNull()),
        FutureTimes.notAfter("transaction_ts", transactionTs(), latestAccepted),
        rule("invalid_shipping_country", not(col("shipping_country").rlike("^[A-Z]{2}$"))));
  }
}

package io.shoplake.common.transactions;

import static io.shoplake.common.rules.RowRule.rule;
import static io.shoplake.common.transform.Clean.text;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The row rules of raw transactions, in the order they are checked; the first one a row breaks is
 * its {@code reject_reason}. They read the raw string columns, so they run before any cast and a
 * value that cannot be cast is a named rejection, never a silent null.
 *
 * <p>Cleaning is part of reading a value: surrounding blanks are dropped, an empty field is
 * missing, currency and country codes are compared upper-case and statuses lower-case.
 */
public final class TransactionRules {
  static final String MONEY_PATTERN = Clean.decimalPattern(12, 2);
  /** ISO-8601 with an offset or Z, or "yyyy-MM-dd HH:mm:ss" (optional fraction) taken as UTC. */
  static final String TIMESTAMP_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
      + "(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"
      + "| [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?)$";

  /** The largest gross or net amount that fits decimal(18,2). */
  static final java.math.BigDecimal MAX_AMOUNT = new java.math.BigDecimal("9999999999999999.99");

  private TransactionRules() {}

  /** Cleaned currency code. */
  static Column currency() {
    return upper(text("currency"));
  }

  static Column status() {
    return lower(text("status"));
  }

  static Column shippingCountry() {
    return upper(text("shipping_country"));
  }

  /** The parsed timestamp (UTC for values without an offset: the session time zone is UTC). */
  static Column transactionTs() {
    return text("transaction_ts").cast("timestamp");
  }

  static Column quantity() {
    return text("quantity").cast("int");
  }

  static Column money(String column) {
    return text(column).cast(TransactionSchema.MONEY);
  }

  /** Optional amounts default to 0. */
  static Column moneyOrZero(String column) {
    return coalesce(money(column), lit(0).cast(TransactionSchema.MONEY));
  }

  /** Every rule, in evaluation order. */
  public static List<RowRule> rules() {
    return List.of(
        rule("malformed_row", col(TransactionSchema.CORRUPT_RECORD).isNotNull()),
        rule("missing_transaction_id", text("transaction_id").isNull()),
        rule("missing_customer_id", text("customer_id").isNull()),
        rule("missing_product_id", text("product_id").isNull()),
        rule("missing_quantity", text("quantity").isNull()),
        rule("invalid_quantity", not(text("quantity").rlike(Clean.INT_PATTERN))),
        rule("non_positive_quantity", quantity().leq(0)),
        rule("missing_unit_price", text("unit_price").isNull()),
        rule("invalid_unit_price", not(text("unit_price").rlike(MONEY_PATTERN))),
        rule("negative_unit_price", money("unit_price").lt(0)),
        rule("invalid_discount_amount", not(text("discount_amount").rlike(MONEY_PATTERN))),
        rule("negative_discount_amount", money("discount_amount").lt(0)),
        rule("discount_exceeds_gross",
            moneyOrZero("discount_amount").gt(quantity().multiply(money("unit_price")))),
        rule("invalid_tax_amount", not(text("tax_amount").rlike(MONEY_PATTERN))),
        rule("negative_tax_amount", money("tax_amount").lt(0)),
        rule("amount_out_of_range", quantity().multiply(money("unit_price")).plus(moneyOrZero("tax_amount"))
            .gt(lit(MAX_AMOUNT))),
        rule("missing_currency", text("currency").isNull()),
        rule("invalid_currency", not(currency().rlike("^[A-Z]{3}$"))),
        rule("missing_status", text("status").isNull()),
        rule("invalid_status", not(status().isin(TransactionSchema.STATUSES.toArray()))),
        rule("missing_transaction_ts", text("transaction_ts").isNull()),
        rule("invalid_transaction_ts",
            not(text("transaction_ts").rlike(TIMESTAMP_PATTERN)).or(transactionTs().isNull())),
        rule("invalid_shipping_country", not(shippingCountry().rlike("^[A-Z]{2}$"))));
  }

  /** Every reason a transaction can be quarantined with, including deduplication's. */
  public static List<String> reasons() {
    List<String> names = new java.util.ArrayList<>(rules().stream().map(RowRule::name).toList());
    names.add(io.shoplake.common.transform.Deduplication.DUPLICATE);
    return names;
  }
}

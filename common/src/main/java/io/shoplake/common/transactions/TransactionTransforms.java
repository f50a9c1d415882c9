package io.shoplake.common.transactions;

import io.shoplake.common.transform.Transform;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.to_date;

import io.shoplake.common.transform.Contracts;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * The pure transformations of the transaction ETL, each a {@code Dataset<Row> -> Dataset<Row>}
 * function for {@code Dataset.transform}: no IO, no config, no session lookups. All are narrow
 * (projections and one broadcast join): none shuffles.
 */
public final class TransactionTransforms {
  private static final String TX_DATE = "_transaction_date";

  private TransactionTransforms() {}

  /** gross_amount = quantity x unit_price; net_amount = gross - discount + tax; both decimal(18,2), exact. */
  public static Dataset<Row> withAmounts(Dataset<Row> typed) {
    Contracts.requireColumns(typed, "derive amounts", "quantity", "unit_price", "discount_amount", "tax_amount");
    Column gross = col("quantity").multiply(col("unit_price")).cast(TransactionSchema.AMOUNT);
    return typed
        .withColumn("gross_amount", gross)
        .withColumn("net_amount", col("gross_amount").minus(col("discount_amount")).plus(col("tax_amount"))
            .cast(TransactionSchema.AMOUNT));
  }

  /** The hour of transaction_ts in UTC (the session time zone); its day partition is the declaration's. */
  public static Dataset<Row> withHour(Dataset<Row> typed) {
    Contracts.requireColumns(typed, "derive the hour", "transaction_ts");
    return typed.withColumn("hour", hour(col("transaction_ts")));
  }

  /** Replaces customer_email by customer_email_hash, computed by {@code hash} (keyed HMAC). */
  public static Transform withMaskedEmail(UserDefinedFunction hash) {
    return typed -> {
      Contracts.requireColumns(typed, "mask customer_email", "customer_email");
      return typed.withColumn("customer_email_hash", hash.apply(col("customer_email")))
          .drop("customer_email");
    };
  }

  /**
   * Adds usd_rate, net_amount_usd (= net_amount x usd_rate, exact) and missing_fx_rate: the rate is
   * the latest one of the currency on or before the transaction's UTC date. A transaction without
   * such a rate keeps a null net_amount_usd and missing_fx_rate = true.
   *
   * @param fxRanges output of {@link FxRates#validityRanges}; small, so it is broadcast (no shuffle)
   */
  public static Transform withUsdAmounts(Dataset<Row> fxRanges) {
    return typed -> {
      Contracts.requireColumns(typed, "convert to USD", "currency", "transaction_ts", "net_amount");
      Contracts.requireColumns(fxRanges, "convert to USD", "fx_currency", "valid_from", "valid_until", "usd_rate");
      // The date in a column of its own, computed once a row: in the join condition, to_date would be
      // evaluated twice for every range of the row's currency (a time-zone conversion each).
      Column txDate = col(TX_DATE);
      Column matches = col("currency").equalTo(col("fx_currency"))
          .and(txDate.geq(col("valid_from")))
          .and(col("valid_until").isNull().or(txDate.lt(col("valid_until"))));
      return typed.withColumn(TX_DATE, to_date(col("transaction_ts")))
          .join(broadcast(fxRanges), matches, "left")
          .drop("fx_currency", "valid_from", "valid_until", TX_DATE)
          .withColumn("net_amount_usd", col("net_amount").multiply(col("usd_rate")).cast(TransactionSchema.AMOUNT_USD))
          .withColumn("missing_fx_rate", col("usd_rate").isNull());
    };
  }

  /** Selects the processed columns in their declared order and types. */
  public static Dataset<Row> toProcessedSchema(Dataset<Row> ds) {
    String[] names = TransactionSchema.processed().fieldNames();
    Contracts.requireColumns(ds, "write processed transactions", names);
    Column[] columns = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      columns[i] = col(names[i]).cast(TransactionSchema.processed().fields()[i].dataType()).as(names[i]);
    }
    return ds.select(columns);
  }
}

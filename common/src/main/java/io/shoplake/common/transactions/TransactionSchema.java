package io.shoplake.common.transactions;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The declared schemas of the transactions dataset (docs/DATA_CONTRACT.md): the raw CSV, read as
 * strings and validated rule by rule, and the processed Parquet. Nothing is ever inferred.
 */
public final class TransactionSchema {
  /** The raw CSV columns, in the order of the contract's header. */
  public static final List<String> RAW_COLUMNS = List.of(
      "transaction_id", "customer_id", "product_id", "quantity", "unit_price", "discount_amount",
      "tax_amount", "currency", "payment_method", "status", "transaction_ts", "customer_email",
      "shipping_country");


  public static final List<String> STATUSES = List.of("completed", "pending", "cancelled", "refunded");

  public static final DataType MONEY = DataTypes.createDecimalType(12, 2);
  public static final DataType AMOUNT = DataTypes.createDecimalType(18, 2);
  public static final DataType FX_RATE = DataTypes.createDecimalType(18, 8);
  /** net_amount (18,2) x usd_rate (18,8), kept exact: Spark's product type, never rounded. */
  public static final DataType AMOUNT_USD = DataTypes.createDecimalType(37, 10);

  /**
   * The columns {@link TransactionTransforms#withUsdAmounts} derives. A run derives them for its own rows in the
   * processed write only, after the merge; the processed rows it carries over keep theirs.
   */
  public static final List<String> USD_COLUMNS = List.of("usd_rate", "net_amount_usd", "missing_fx_rate");

  /** Partition columns of processed/transactions. */
  public static final List<String> PARTITION_COLUMNS = List.of("year", "month", "day");

  private TransactionSchema() {}

  /** The raw CSV schema: every contract column as a string, plus the corrupt-record column. */
  public static StructType rawCsv() {
    StructType schema = new StructType();
    for (String column : RAW_COLUMNS) {
      schema = schema.add(column, DataTypes.StringType, true);
    }
    return schema.add(io.shoplake.common.rules.RawFields.CORRUPT_RECORD, DataTypes.StringType, true);
  }

  /** The processed schema, in column order, partition columns last. */
  public static StructType processed() {
    return new StructType(new StructField[] {
        field("transaction_id", DataTypes.StringType),
        field("customer_id", DataTypes.StringType),
        field("product_id", DataTypes.StringType),
        field("quantity", DataTypes.IntegerType),
        field("unit_price", MONEY),
        field("discount_amount", MONEY),
        field("tax_amount", MONEY),
        field("gross_amount", AMOUNT),
        field("net_amount", AMOUNT),
        field("currency", DataTypes.StringType),
        field("usd_rate", FX_RATE),
        field("net_amount_usd", AMOUNT_USD),
        field("missing_fx_rate", DataTypes.BooleanType),
        field("payment_method", DataTypes.StringType),
        field("status", DataTypes.StringType),
        field("transaction_ts", DataTypes.TimestampType),
        field("hour", DataTypes.IntegerType),
        field("customer_email_hash", DataTypes.StringType),
        field("shipping_country", DataTypes.StringType),
        field("source_file", DataTypes.StringType),
        field("ingested_at", DataTypes.TimestampType),
        field("run_id", DataTypes.StringType),
        field("job_name", DataTypes.StringType),
        field("year", DataTypes.IntegerType),
        field("month", DataTypes.IntegerType),
        field("day", DataTypes.IntegerType),
    });
  }

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}

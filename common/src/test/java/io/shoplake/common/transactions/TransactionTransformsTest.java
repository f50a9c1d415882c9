package io.shoplake.common.transactions;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.pii.HmacSha256;
import io.shoplake.common.pii.PiiKey;
import io.shoplake.common.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The derivations, on small inline data, with exact decimals. */
class TransactionTransformsTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void derivesGrossAndNetAmountsExactly() {
    Dataset<Row> typed = spark.sql("select 3 as quantity, 19.99BD as unit_price, 5.97BD as discount_amount,"
        + " 4.32BD as tax_amount union all select 1, 0.10BD, 0.00BD, 0.00BD")
        .selectExpr("quantity", "cast(unit_price as decimal(12,2)) unit_price",
            "cast(discount_amount as decimal(12,2)) discount_amount", "cast(tax_amount as decimal(12,2)) tax_amount");
    Dataset<Row> expected = spark.sql("select 3 q, 59.97BD g, 58.32BD n union all select 1, 0.10BD, 0.10BD")
        .selectExpr("q as quantity", "cast(g as decimal(18,2)) gross_amount", "cast(n as decimal(18,2)) net_amount");
    assertSameRows(expected, typed.transform(TransactionTransforms::withAmounts)
        .select("quantity", "gross_amount", "net_amount"));
  }

  @Test
  void convertsWithTheLatestRateOnOrBeforeTheTransactionDate() {
    Dataset<Row> rates = spark.sql("select * from values"
        + " (date'2025-01-01', 'EUR', 1.10BD), (date'2025-01-10', 'EUR', 1.20BD), (date'2025-01-05', 'GBP', 1.25BD)"
        + " as r(rate_date, currency, usd_rate)")
        .selectExpr("rate_date", "currency", "cast(usd_rate as decimal(18,8)) usd_rate");
    Dataset<Row> tx = spark.sql("select * from values"
        + " ('a', 'EUR', timestamp'2025-01-09 23:59:59', 10.00BD),"
        + " ('b', 'EUR', timestamp'2025-01-10 00:00:00', 10.00BD),"
        + " ('c', 'GBP', timestamp'2025-01-04 12:00:00', 10.00BD),"
        + " ('d', 'CHF', timestamp'2025-01-04 12:00:00', 10.00BD)"
        + " as t(id, currency, transaction_ts, net_amount)")
        .selectExpr("id", "currency", "transaction_ts", "cast(net_amount as decimal(18,2)) net_amount");
    Dataset<Row> expected = spark.sql("select * from values ('a', 11.00BD, false), ('b', 12.00BD, false),"
        + " ('c', null, true), ('d', null, true) as e(id, usd, missing)")
        .selectExpr("id", "cast(usd as decimal(37,10)) net_amount_usd", "missing as missing_fx_rate");
    assertSameRows(expected, tx.transform(TransactionTransforms.withUsdAmounts(FxRates.validityRanges(spark, rates.collectAsList())))
        .select("id", "net_amount_usd", "missing_fx_rate"));
  }

  @Test
  void eachRateIsValidUntilTheNextRateOfItsCurrency() {
    Dataset<Row> rates = spark.sql("select * from values"
        + " (date'2025-01-10', 'EUR', 1.20BD), (date'2025-01-05', 'GBP', 1.25BD), (date'2025-01-01', 'EUR', 1.10BD),"
        + " (date'2025-01-03', 'EUR', 1.15BD) as r(rate_date, currency, usd_rate)")
        .selectExpr("usd_rate", "currency", "rate_date"); // any column order: read by name
    Dataset<Row> ranges = FxRates.validityRanges(spark, rates.collectAsList());
    assertEquals(FxRates.RANGES, ranges.schema());
    Dataset<Row> expected = spark.sql("select * from values"
        + " ('EUR', date'2025-01-01', date'2025-01-03', 1.10BD), ('EUR', date'2025-01-03', date'2025-01-10', 1.15BD),"
        + " ('EUR', date'2025-01-10', null, 1.20BD), ('GBP', date'2025-01-05', null, 1.25BD)"
        + " as e(fx_currency, valid_from, valid_until, usd_rate)")
        .selectExpr("fx_currency", "valid_from", "valid_until", "cast(usd_rate as decimal(18,8)) usd_rate");
    assertSameRows(expected, ranges);
    assertEquals(0, FxRates.validityRanges(spark, java.util.List.of()).count());
  }

  @Test
  void derivesUtcEventTimePartsFromOffsets() {
    Dataset<Row> typed = spark.sql("select cast('2025-01-01T01:30:00+02:00' as timestamp) transaction_ts");
    Row parts = typed.transform(io.shoplake.common.lake.DayPartitions.withDayOf(functions.col("transaction_ts")))
        .transform(TransactionTransforms::withHour).select("year", "month", "day", "hour").first();
    assertEquals("[2024,12,31,23]", parts.toString());
  }

  @Test
  void masksEmailsWithAKeyedHashOfTheNormalisedAddress() throws Exception {
    PiiKey key = new PiiKey("k1".getBytes(StandardCharsets.UTF_8), "test", false);
    Dataset<Row> typed = spark.sql("select * from values (' Ann@Shop.com '), ('ann@shop.com'), (null), ('') as t(customer_email)");
    var hash = functions.udf(new HmacSha256(key), DataTypes.StringType);
    var rows = typed.transform(TransactionTransforms.withMaskedEmail(hash)).collectAsList();
    // HMAC-SHA-256("ann@shop.com", key "k1"), computed independently with javax.crypto.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("k1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = java.util.HexFormat.of().formatHex(mac.doFinal("ann@shop.com".getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, rows.get(0).getString(0));
    assertEquals(expected, rows.get(1).getString(0));
    assertEquals(null, rows.get(2).get(0));
    assertEquals(null, rows.get(3).get(0));
    assertEquals("[customer_email_hash]", java.util.Arrays.toString(
        typed.transform(TransactionTransforms.withMaskedEmail(hash)).columns()));
    String otherKey = new HmacSha256(new PiiKey("k2".getBytes(StandardCharsets.UTF_8), "test", false)).call("ann@shop.com");
    assertTrue(!otherKey.equals(expected), "another key gives another hash");
    assertTrue(!key.toString().contains("k1"), "the key never shows in toString");
  }

  @Test
  void failsFastWhenAContractColumnIsMissing() {
    Dataset<Row> wrong = spark.sql("select 1 as quantity");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransactionTransforms.withAmounts(wrong));
    assertEquals("Cannot derive amounts: missing columns [unit_price, discount_amount, tax_amount], present [quantity]",
        e.getMessage());
  }
}

package io.shoplake.common.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.rules.RowRules;
import io.shoplake.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transaction rule with an accepted and a rejected example. Each case starts from one valid row
 * and changes one field; the expected reason is the rule's name, or "valid".
 */
class TransactionRulesTest {
  /** The latest transaction time the rules accept in these tests. */
  private static final java.time.Instant LATEST_ACCEPTED = java.time.Instant.parse("2026-06-01T12:00:00Z");

  /** A valid row, in the order of {@link TransactionSchema#RAW_COLUMNS}. */
  private static final String[] VALID = {"T1", "C1", "P1", "2", "10.00", "1.00", "0.50", "USD", "card", "completed",
      "2025-01-15T10:00:00Z", "ann@shop.com", "US"};
  private final SparkSession spark = SharedSpark.get();

  @ParameterizedTest(name = "{0} = ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "transaction_id   | NULL                      | missing_transaction_id",
      "transaction_id   | '  '                      | missing_transaction_id",
      "transaction_id   | ' T1 '                    | valid",
      "customer_id      | ''                        | missing_customer_id",
      "product_id       | NULL                      | missing_product_id",
      "quantity         | NULL                      | missing_quantity",
      "quantity         | 2.5                       | invalid_quantity",
      "quantity         | abc                       | invalid_quantity",
      "quantity         | 9999999999                | invalid_quantity",
      "quantity         | 0                         | non_positive_quantity",
      "quantity         | -1                        | non_positive_quantity",
      "quantity         | +3                        | valid",
      "unit_price       | NULL                      | missing_unit_price",
      "unit_price       | 10.001                    | invalid_unit_price",
      "unit_price       | 1e3                       | invalid_unit_price",
      "unit_price       | -0.01                     | negative_unit_price",
      "unit_price       | 0                         | discount_exceeds_gross",
      "unit_price       | 10                        | valid",
      "discount_amount  | x                         | invalid_discount_amount",
      "discount_amount  | -1.00                     | negative_discount_amount",
      "discount_amount  | 20.01                     | discount_exceeds_gross",
      "discount_amount  | 20.00                     | valid",
      "discount_amount  | NULL                      | valid",
      "tax_amount       | 1,5                       | invalid_tax_amount",
      "tax_amount       | -0.50                     | negative_tax_amount",
      "tax_amount       | NULL                      | valid",
      "currency         | NULL                      | missing_currency",
      "currency         | US                        | invalid_currency",
      "currency         | US1                       | invalid_currency",
      "currency         | eur                       | valid",
      "status           | NULL                      | missing_status",
      "status           | shipped                   | invalid_status",
      "status           | Refunded                  | valid",
      "transaction_ts   | NULL                      | missing_transaction_ts",
      "transaction_ts   | 2025-01-15                | invalid_transaction_ts",
      "transaction_ts   | 2025-01-15T10:00:00       | invalid_transaction_ts",
      "transaction_ts   | 2025-02-30 10:00:00       | invalid_transaction_ts",
      "transaction_ts   | 15/01/2025 10:00:00       | invalid_transaction_ts",
      "transaction_ts   | 2025-01-15 10:00:00       | valid",
      "transaction_ts   | 2025-01-15T10:00:00.123Z  | valid",
      "transaction_ts   | 2025-01-15T10:00:00-05:00 | valid",
      "transaction_ts   | 2026-06-01T12:00:00Z      | valid",
      "transaction_ts   | 2026-06-01T12:00:01Z      | future_transaction_ts",
      "transaction_ts   | 2026-06-01T13:00:00+02:00 | valid",
      "transaction_ts   | 2099-01-01 00:00:00       | future_transaction_ts",
      "shipping_country | USA                       | invalid_shipping_country",
      "shipping_country | de                        | valid",
      "shipping_country | NULL                      | valid",
      "payment_method   | NULL                      | valid",
      "customer_email   | NULL                      | valid",
  })
  void checksOneRule(String column, String value, String expected) {
    String[] fields = VALID.clone();
    fields[TransactionSchema.RAW_COLUMNS.indexOf(column.trim())] = value;
    assertEquals(expected, reasonOf(fields, null));
  }

  @ParameterizedTest(name = "malformed line -> {0}")
  @CsvSource({"malformed_row"})
  void aLineThatDidNotSplitIsMalformed(String expected) {
    assertEquals(expected, reasonOf(VALID.clone(), "T1,C1,extra"));
  }

  @ParameterizedTest(name = "amount too large -> {0}")
  @CsvSource({"amount_out_of_range"})
  void amountsThatDoNotFitDecimal18AreRejected(String expected) {
    String[] fields = VALID.clone();
    fields[3] = "999999999";
    fields[4] = "9999999999.99";
    fields[5] = "0";
    assertEquals(expected, reasonOf(fields, null));
  }

  /** The first failing rule wins: a row missing its id and its quantity is reported for the id. */
  @ParameterizedTest(name = "order -> {0}")
  @CsvSource({"missing_transaction_id"})
  void reportsTheFirstRuleBroken(String expected) {
    String[] fields = VALID.clone();
    fields[0] = null;
    fields[3] = null;
    assertEquals(expected, reasonOf(fields, null));
  }

  private String reasonOf(String[] fields, String corrupt) {
    List<Object> values = new ArrayList<>(Arrays.asList(fields));
    values.add(corrupt);
    Dataset<Row> row = spark.createDataFrame(List.of(RowFactory.create(values.toArray())), TransactionSchema.rawCsv());
    // The declared dataset's own path: cleaning, the reader's rules, then the transaction rules.
    String reason = io.shoplake.common.dataset.Staging.validated(row, TransactionRules.DATASET,
            new io.shoplake.common.dataset.Staging.Run("test", "test", LATEST_ACCEPTED, LATEST_ACCEPTED))
        .first().getAs(RowRules.REJECT_REASON);
    return reason == null ? "valid" : reason;
  }
}

package io.shoplake.common.transform;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.apache.spark.sql.functions.col;

import io.shoplake.common.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The strict timestamp parse: every accepted form gives its exact instant, every other text null. */
class CleanTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void eachAcceptedFormIsItsInstantAndEveryOtherTextIsNull() {
    Dataset<Row> texts = spark.sql("select * from values"
        + " ('2025-01-15T10:00:00Z'), ('2025-01-15T10:00:00.123456Z'), ('2025-01-15T10:00:00.123456789Z'),"
        + " ('2025-01-15T10:00:00+00:00'), ('2025-01-15T12:00:00+02:00'), ('2025-01-15T05:00:00-05:00'),"
        + " ('2025-01-15 10:00:00'), ('2024-02-29T23:59:59.999999Z'),"
        + " ('2025-02-30T10:00:00Z'), ('2025-01-15T24:00:00Z'), ('2025-01-15T10:00:00'), ('2025-01-15Z'),"
        + " ('Z'), ('2025-01-15T10:00:00ZZ'), ('2025-01-15T10:00:00z'),"
        + " ('2025-01-15T10:00:00.5+00:00'), ('2025-01-15T10:00:00-00:00'), ('+00:00'), ('2025-01-15T10:00:00+00:00Z'),"
        + " ('2025-01-15 10:00:00+00:00'),"
        // The bounds docs/DATA_CONTRACT.md states: offsets up to 18:00, minutes and seconds below 60, 9 fraction digits.
        + " ('2025-01-15T10:00:00+18:00'), ('2025-01-15T10:00:00+19:00'), ('2025-01-15T10:00:00+14:60'),"
        + " ('2025-01-15T10:00:60Z'), ('2025-01-15T10:00:00.1234567890Z')"
        + " as t(text)");
    // Instants as epoch microseconds, so that the expectation does not go through the parse under test.
    Dataset<Row> expected = spark.sql("select * from values"
        + " ('2025-01-15T10:00:00Z', 1736935200000000L), ('2025-01-15T10:00:00.123456Z', 1736935200123456L),"
        + " ('2025-01-15T10:00:00.123456789Z', 1736935200123456L), ('2025-01-15T10:00:00+00:00', 1736935200000000L),"
        + " ('2025-01-15T12:00:00+02:00', 1736935200000000L), ('2025-01-15T05:00:00-05:00', 1736935200000000L),"
        + " ('2025-01-15 10:00:00', 1736935200000000L), ('2024-02-29T23:59:59.999999Z', 1709251199999999L),"
        + " ('2025-02-30T10:00:00Z', null), ('2025-01-15T24:00:00Z', null), ('2025-01-15T10:00:00', null),"
        + " ('2025-01-15Z', null), ('Z', null), ('2025-01-15T10:00:00ZZ', null), ('2025-01-15T10:00:00z', null),"
        + " ('2025-01-15T10:00:00.5+00:00', 1736935200500000L), ('2025-01-15T10:00:00-00:00', 1736935200000000L),"
        + " ('+00:00', null), ('2025-01-15T10:00:00+00:00Z', null), ('2025-01-15 10:00:00+00:00', null),"
        + " ('2025-01-15T10:00:00+18:00', 1736870400000000L), ('2025-01-15T10:00:00+19:00', null),"
        + " ('2025-01-15T10:00:00+14:60', null), ('2025-01-15T10:00:60Z', null),"
        + " ('2025-01-15T10:00:00.1234567890Z', null)"
        + " as t(text, micros)");
    assertSameRows(expected, texts.select(col("text"), Clean.timestamp("text").as("ts"))
        .selectExpr("text", "unix_micros(ts) as micros"));
  }
}

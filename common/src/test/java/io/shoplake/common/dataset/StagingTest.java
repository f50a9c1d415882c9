package io.shoplake.common.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.clickstream.ClickstreamRules;
import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.job.RowCounts;
import io.shoplake.common.products.ProductRules;
import io.shoplake.common.reviews.ReviewRules;
import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRules;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.transactions.FxRates;
import io.shoplake.common.transactions.TransactionRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The one staging path on inline rows of each declared dataset, as a reader would hand them over: the
 * outcome of every row (kept, its reject reason, or skipped as an older version) and the typed values.
 */
class StagingTest {
  private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
  private static final Staging.Run RUN = new Staging.Run("run-1", "test", NOW, NOW);

  /** Rows of string fields as {@link Staging#read} returns them: the fields, the lineage, no reader fault. */
  private static Dataset<Row> read(RawDataset dataset, String[]... rows) {
    StructType schema = new StructType();
    for (String field : dataset.fields()) {
      schema = schema.add(field, DataTypes.StringType);
    }
    schema = schema.add(RawFields.CORRUPT_RECORD, DataTypes.StringType).add(JsonLinesSource.LINE_FAULT,
        DataTypes.StringType).add("source_file", DataTypes.StringType).add("raw_date", DataTypes.StringType);
    List<Row> data = new ArrayList<>();
    for (String[] row : rows) {
      List<Object> values = new ArrayList<>(Arrays.asList(row));
      values.addAll(Arrays.asList(null, null, "raw/x/date=2025-01-0" + (data.size() % 2 + 1) + "/f.json",
          "2025-01-0" + (data.size() % 2 + 1)));
      data.add(RowFactory.create(values.toArray()));
    }
    return SharedSpark.get().createDataFrame(data, schema);
  }

  /** Outcome by row key: the reject reason, "older_version" (skipped) or "kept". */
  private static Map<String, String> outcomes(RawDataset dataset, String key, Dataset<Row> read) {
    Staged staged = Staging.stage(read, dataset, RUN);
    Map<String, String> outcomes = new TreeMap<>();
    Dataset<Row> classified = staged.classified();
    boolean skips = List.of(classified.columns()).contains(RowCounts.SKIP_REASON);
    for (Row r : classified.selectExpr("coalesce(_raw." + key + ", '?') || '@' || source_file", RowRules.REJECT_REASON,
        skips ? RowCounts.SKIP_REASON : "cast(null as string)").collectAsList()) {
      outcomes.merge(r.getString(0), r.isNullAt(1) ? (r.isNullAt(2) ? "kept" : r.getString(2)) : r.getString(1),
          (a, b) -> String.join(",", java.util.stream.Stream.of((a + "," + b).split(",")).sorted().toList()));
    }
    staged.release();
    return outcomes;
  }

  @Test
  void reviewsAreValidatedTypedPartitionedAndDeduplicated() {
    Dataset<Row> read = read(ReviewRules.DATASET,
        new String[] {"R1", "P1", "C1", "5", "t", "b", "2025-01-01T10:00:00Z", "TRUE"},
        new String[] {"R1", "P1", "C1", "4", "t", "b", "2025-01-02T10:00:00Z", "true"},
        new String[] {"R2", "P1", "C1", "9", "t", "b", "2025-01-01T10:00:00Z", null},
        new String[] {"R3", "P1", "C1", "3", "t", "b", "2030-01-01T10:00:00Z", null});
    assertEquals(Map.of("R1@raw/x/date=2025-01-01/f.json", "duplicate", "R1@raw/x/date=2025-01-02/f.json", "kept",
            "R2@raw/x/date=2025-01-01/f.json", "rating_out_of_range", "R3@raw/x/date=2025-01-02/f.json",
            "future_review_ts"),
        outcomes(ReviewRules.DATASET, "review_id", read));
    Row kept = Staging.stage(read, ReviewRules.DATASET, RUN).classified().filter("reject_reason is null")
        .select("rating", "verified_purchase", "year", "month", "day", "job_name").first();
    assertEquals("[4,true,2025,1,2,test]", kept.toString());
  }

  @Test
  void productsKeepTheLatestVersionAndSkipTheOlder() {
    Dataset<Row> read = read(ProductRules.PRODUCTS,
        new String[] {"P1", "S", "n", "C1", "b", "10.00", "4", "eur", "3", "1", "true", "{\"a\":\"1\"}",
            "2025-01-01T00:00:00Z"},
        new String[] {"P1", "S", "n", "C1", "b", "12.00", "4", "EUR", "3", "1", "true", null, "2025-01-02T00:00:00Z"},
        new String[] {"P2", "S", "n", "C1", "b", "-1", "4", "EUR", "3", "1", "true", null, "2025-01-02T00:00:00Z"},
        new String[] {"P3", "S", "n", "C1", "b", "1", "4", "EUR", "3", "1", "true", "[1]", "2025-01-02T00:00:00Z"});
    assertEquals(Map.of("P1@raw/x/date=2025-01-01/f.json", "older_version", "P1@raw/x/date=2025-01-02/f.json", "kept",
            "P2@raw/x/date=2025-01-01/f.json", "negative_price", "P3@raw/x/date=2025-01-02/f.json",
            "invalid_attributes"),
        outcomes(ProductRules.PRODUCTS, "product_id", read));
  }

  @Test
  void categoriesKeepTheLatestFilesRow() {
    Dataset<Row> read = read(ProductRules.CATEGORIES, new String[] {"C1", "Old", null, "D"},
        new String[] {"C1", "New", null, "D"}, new String[] {"C2", null, null, "D"});
    assertEquals(Map.of("C1@raw/x/date=2025-01-01/f.json", "older_version", "C1@raw/x/date=2025-01-02/f.json", "kept",
            "C2@raw/x/date=2025-01-01/f.json", "missing_category_name"),
        outcomes(ProductRules.CATEGORIES, "category_id", read));
  }

  @Test
  void clickstreamEventsGetAVisitorABotFlagAndTheirFirstDelivery() {
    RawDataset events = ClickstreamRules.events(List.of("bot"));
    Dataset<Row> read = read(events,
        new String[] {"E1", null, "A1", "PAGE_VIEW", "2025-01-01T10:00:00Z", "/", null, null, null, "m", "Mozilla"},
        new String[] {"E1", null, "A1", "page_view", "2025-01-01T10:00:00Z", "/", null, null, null, "m", "Mozilla"},
        new String[] {"E2", "U1", "A2", "search", "2025-01-01T10:00:00Z", "/", null, null, null, "m", "GoodBot/1"},
        new String[] {"E3", null, null, "search", "2025-01-01T10:00:00Z", "/", null, null, null, "m", "x"},
        new String[] {"E4", "U1", null, "jump", "2025-01-01T10:00:00Z", "/", null, null, null, "m", "x"});
    assertEquals(Map.of("E1@raw/x/date=2025-01-01/f.json", "kept", "E1@raw/x/date=2025-01-02/f.json", "duplicate",
            "E2@raw/x/date=2025-01-01/f.json", "kept", "E3@raw/x/date=2025-01-02/f.json", "missing_anonymous_id",
            "E4@raw/x/date=2025-01-01/f.json", "invalid_event_type"),
        outcomes(events, "event_id", read));
    assertEquals("[A1,false,U1,true]", Staging.stage(read, events, RUN).deduplicated()
        .filter("reject_reason is null").orderBy("event_id").selectExpr("visitor_id", "is_bot").collectAsList()
        .stream().map(r -> r.get(0) + "," + r.get(1)).reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]")
        .orElse(""));
  }

  @Test
  void fxRatesKeepOneRatePerCurrencyAndDateTheLaterFilesWins() {
    Dataset<Row> read = read(FxRates.DATASET, new String[] {"2025-01-02", "eur", "1.10"},
        new String[] {"2025-01-02", "EUR ", "1.20"}, new String[] {"2025-01-02", "EURO", "1.0"},
        new String[] {"2025-01-03", "EUR", "0"});
    assertEquals(Map.of("2025-01-02@raw/x/date=2025-01-01/f.json", "duplicate,invalid_currency",
            "2025-01-02@raw/x/date=2025-01-02/f.json", "kept", "2025-01-03@raw/x/date=2025-01-02/f.json",
            "non_positive_usd_rate"),
        outcomes(FxRates.DATASET, "rate_date", read));
    assertEquals("[2025-01-02,EUR,1.20000000]", Staging.stage(read, FxRates.DATASET, RUN).deduplicated()
        .filter("reject_reason is null").select("rate_date", "currency", "usd_rate").first().toString());
  }

  @Test
  void transactionsAreTypedWithOptionalAmountsZeroAndPartitionedByTheirDay() {
    Dataset<Row> read = read(TransactionRules.DATASET,
        new String[] {"T1", "C1", "P1", "2", "10.00", null, "", "usd", "card", "COMPLETED", "2025-01-31T23:30:00-01:00",
            "a@b.c", "de"},
        new String[] {"T2", "C1", "P1", "0", "10.00", null, null, "USD", "card", "completed", "2025-01-01T10:00:00Z",
            "a@b.c", "DE"});
    Dataset<Row> staged = Staging.validated(read, TransactionRules.DATASET, RUN);
    assertEquals("[null,USD,completed,DE,0.00,0.00,2025,2,1]", staged.filter("transaction_id = 'T1'")
        .select("reject_reason", "currency", "status", "shipping_country", "discount_amount", "tax_amount", "year",
            "month", "day").first().toString());
    assertEquals("non_positive_quantity", staged.filter("transaction_id = 'T2'").first().getAs(RowRules.REJECT_REASON));
  }
}

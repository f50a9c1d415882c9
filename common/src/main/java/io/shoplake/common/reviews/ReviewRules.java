package io.shoplake.common.reviews;

import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The contract of raw reviews (JSON Lines): fields, cleaning, rules in order, and typing. A review
 * must name itself, its product and its customer, carry a whole rating from 1 to 5 and a valid
 * timestamp; {@code verified_purchase}, when present, is a boolean.
 */
public final class ReviewRules {
  public static final String CORRUPT_RECORD = "_corrupt_record";
  public static final List<String> FIELDS = List.of("review_id", "product_id", "customer_id", "rating", "title",
      "body", "review_ts", "verified_purchase");

  private ReviewRules() {}

  public static Dataset<Row> clean(Dataset<Row> raw) {
    return RawFields.clean(raw, FIELDS, Map.of("verified_purchase", c -> lower(c)), "reviews");
  }

  /** @param latestAccepted the latest review time accepted (the run's start plus the future tolerance) */
  public static List<RowRule> rules(java.time.Instant latestAccepted) {
    Column rating = col("rating").cast("int");
    List<RowRule> rules = new java.util.ArrayList<>(JsonLinesSource.lineRules());
    rules.addAll(List.of(
        rule("malformed_row", col(CORRUPT_RECORD).isNotNull()),
        rule("missing_review_id", col("review_id").isNull()),
        rule("missing_product_id", col("product_id").isNull()),
        rule("missing_customer_id", col("customer_id").isNull()),
        rule("missing_rating", col("rating").isNull()),
        rule("invalid_rating", not(col("rating").rlike(Clean.INT_PATTERN))),
        rule("rating_out_of_range", rating.lt(1).or(rating.gt(5))),
        rule("missing_review_ts", col("review_ts").isNull()),
        rule("invalid_review_ts", Clean.timestamp("review_ts").isNull()),
        FutureTimes.notAfter("review_ts", Clean.timestamp("review_ts"), latestAccepted),
        rule("invalid_verified_purchase", not(col("verified_purchase").rlike(Clean.BOOLEAN_PATTERN)))));
    return rules;
  }

  /** Cleaned, validated rows to typed columns; other columns (lineage, reason, _raw) are kept. */
  public static Dataset<Row> toTyped(Dataset<Row> cleaned) {
    Contracts.requireColumns(cleaned, "type reviews", FIELDS.toArray(new String[0]));
    return cleaned
        .withColumn("rating", col("rating").cast("int"))
        .withColumn("review_ts", Clean.timestamp("review_ts"))
        .withColumn("verified_purchase", col("verified_purchase").cast("boolean"));
  }
}

package io.shoplake.common.reviews;

import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;

import io.shoplake.common.dataset.Dedup;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import io.shoplake.common.rules.FutureTimes;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The contract of raw reviews (JSON Lines), as a {@link RawDataset}. A review must name itself, its
 * product and its customer, carry a whole rating from 1 to 5 and a valid timestamp;
 * {@code verified_purchase}, when present, is a boolean. One row per {@code review_id}: the latest
 * {@code review_ts} wins, then the later file, then a content hash; the others are quarantined as
 * {@code duplicate}. Partitioned by the UTC day of {@code review_ts}.
 */
public final class ReviewRules {
  public static final List<String> FIELDS = List.of("review_id", "product_id", "customer_id", "rating", "title",
      "body", "review_ts", "verified_purchase");
  public static final StructType TYPED = new StructType()
      .add("rating", DataTypes.IntegerType)
      .add("review_ts", DataTypes.TimestampType)
      .add("verified_purchase", DataTypes.BooleanType);

  public static final RawDataset DATASET = RawDataset.of("reviews", RawDataset.Format.JSON_LINES, FIELDS, TYPED,
          ReviewRules::rules)
      .normalising(Map.of("verified_purchase", c -> lower(c)))
      .deduplicatedBy(Dedup.quarantining("review_id", col("review_ts").desc(), col("source_file").desc()))
      .partitionedByDayOf("review_ts");

  private ReviewRules() {}

  /** @param latestAccepted the latest review time accepted (the run's start plus the future tolerance) */
  static List<RowRule> rules(Instant latestAccepted) {
    Column rating = Typing.parsed("rating");
    return List.of(
        rule("missing_review_id", col("review_id").isNull()),
        rule("missing_product_id", col("product_id").isNull()),
        rule("missing_customer_id", col("customer_id").isNull()),
        rule("missing_rating", col("rating").isNull()),
        rule("invalid_rating", not(col("rating").rlike(Clean.INT_PATTERN))),
        rule("rating_out_of_range", rating.lt(1).or(rating.gt(5))),
        rule("missing_review_ts", col("review_ts").isNull()),
        rule("invalid_review_ts", Typing.parsed("review_ts").isNull()),
        FutureTimes.notAfter("review_ts", Typing.parsed("review_ts"), latestAccepted),
        rule("invalid_verified_purchase", not(col("verified_purchase").rlike(Clean.BOOLEAN_PATTERN))));
  }
}

package io.shoplake.common.products;

import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.dataset.Dedup;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.dataset.Typing;
import io.shoplake.common.rules.FutureTimes;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The contracts of raw products (JSON Lines) and categories (CSV), as {@link RawDataset}s. A product
 * needs its id and {@code updated_at} (which version is the latest); prices and stock are optional
 * but, when present, must be non-negative numbers; {@code attributes} must be a JSON object (kept as a
 * map of strings). Both are dimensions: one row per id, the latest version wins (the latest
 * {@code updated_at}, then the later file; a category by its later file) and the older ones are
 * skipped as {@code older_version}, not quarantined.
 */
public final class ProductRules {
  public static final List<String> FIELDS = List.of("product_id", "sku", "name", "category_id", "brand", "price",
      "cost", "currency", "stock_quantity", "reorder_level", "is_active", "attributes", "updated_at");
  public static final List<String> CATEGORY_FIELDS =
      List.of("category_id", "category_name", "parent_category_id", "department");
  public static final DataType MONEY = DataTypes.createDecimalType(12, 2);
  static final DataType ATTRIBUTES = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
  private static final String MONEY_PATTERN = Clean.decimalPattern(12, 2);

  public static final StructType TYPED = new StructType()
      .add("price", MONEY)
      .add("cost", MONEY)
      .add("stock_quantity", DataTypes.IntegerType)
      .add("reorder_level", DataTypes.IntegerType)
      .add("is_active", DataTypes.BooleanType)
      .add("attributes", ATTRIBUTES)
      .add("updated_at", DataTypes.TimestampType);

  public static final RawDataset PRODUCTS = RawDataset.of("products", RawDataset.Format.JSON_LINES, FIELDS, TYPED,
          ProductRules::rules)
      .normalising(Map.of("currency", c -> upper(c), "is_active", c -> lower(c)))
      // The content hash reads the fields as delivered: Spark cannot hash the typed attributes map.
      .deduplicatedBy(Dedup.keepingLatest("product_id", col("updated_at").desc(), col("source_file").desc())
          .hashingRawFields());

  public static final RawDataset CATEGORIES = RawDataset.of("categories", RawDataset.Format.CSV, CATEGORY_FIELDS,
          new StructType(), latestAccepted -> List.of(
              rule("missing_category_id", col("category_id").isNull()),
              rule("missing_category_name", col("category_name").isNull())))
      .deduplicatedBy(Dedup.keepingLatest("category_id", col("source_file").desc()));

  private ProductRules() {}

  /** @param latestAccepted the latest updated_at accepted (the run's start plus the future tolerance) */
  static List<RowRule> rules(Instant latestAccepted) {
    return List.of(
        rule("missing_product_id", col("product_id").isNull()),
        rule("missing_updated_at", col("updated_at").isNull()),
        rule("invalid_updated_at", Typing.parsed("updated_at").isNull()),
        FutureTimes.notAfter("updated_at", Typing.parsed("updated_at"), latestAccepted),
        rule("invalid_price", not(col("price").rlike(MONEY_PATTERN))),
        rule("negative_price", Typing.parsed("price").lt(0)),
        rule("invalid_cost", not(col("cost").rlike(MONEY_PATTERN))),
        rule("negative_cost", Typing.parsed("cost").lt(0)),
        rule("invalid_currency", not(col("currency").rlike("^[A-Z]{3}$"))),
        rule("invalid_stock_quantity", not(col("stock_quantity").rlike(Clean.INT_PATTERN))),
        rule("negative_stock_quantity", Typing.parsed("stock_quantity").lt(0)),
        rule("invalid_reorder_level", not(col("reorder_level").rlike(Clean.INT_PATTERN))),
        rule("invalid_is_active", not(col("is_active").rlike(Clean.BOOLEAN_PATTERN))),
        rule("invalid_attributes", col("attributes").isNotNull()
            .and(Typing.parsed("attributes").isNull())));
  }
}

package io.shoplake.common.products;

import io.shoplake.common.io.JsonLinesSource;
import io.shoplake.common.rules.FutureTimes;
import static io.shoplake.common.rules.RowRule.rule;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.upper;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.rules.RowRule;
import io.shoplake.common.transform.Clean;
import io.shoplake.common.transform.Contracts;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The contract of raw products (JSON Lines) and categories (CSV): fields, cleaning, rules in order,
 * typing. A product needs its id and {@code updated_at} (which version is the latest); prices and
 * stock are optional but, when present, must be non-negative numbers; {@code attributes} must be a
 * JSON object (kept as a map of strings).
 */
public final class ProductRules {
  public static final String CORRUPT_RECORD = "_corrupt_record";
  public static final List<String> FIELDS = List.of("product_id", "sku", "name", "category_id", "brand", "price",
      "cost", "currency", "stock_quantity", "reorder_level", "is_active", "attributes", "updated_at");
  public static final List<String> CATEGORY_FIELDS =
      List.of("category_id", "category_name", "parent_category_id", "department");
  public static final DataType MONEY = DataTypes.createDecimalType(12, 2);
  static final DataType ATTRIBUTES = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
  private static final String MONEY_PATTERN = Clean.decimalPattern(12, 2);

  private ProductRules() {}

  public static Dataset<Row> clean(Dataset<Row> raw) {
    return RawFields.clean(raw, FIELDS, Map.of("currency", c -> upper(c), "is_active", c -> lower(c)), "products");
  }

  /** @param latestAccepted the latest updated_at accepted (the run's start plus the future tolerance) */
  public static List<RowRule> rules(java.time.Instant latestAccepted) {
    List<RowRule> rules = new java.util.ArrayList<>(JsonLinesSource.lineRules());
    rules.addAll(List.of(
        rule("malformed_row", col(CORRUPT_RECORD).isNotNull()),
        rule("missing_product_id", col("product_id").isNull()),
        rule("missing_updated_at", col("updated_at").isNull()),
        rule("invalid_updated_at", Clean.timestamp("updated_at").isNull()),
        FutureTimes.notAfter("updated_at", Clean.timestamp("updated_at"), latestAccepted),
        rule("invalid_price", not(col("price").rlike(MONEY_PATTERN))),
        rule("negative_price", col("price").cast(MONEY).lt(0)),
        rule("invalid_cost", not(col("cost").rlike(MONEY_PATTERN))),
        rule("negative_cost", col("cost").cast(MONEY).lt(0)),
        rule("invalid_currency", not(col("currency").rlike("^[A-Z]{3}$"))),
        rule("invalid_stock_quantity", not(col("stock_quantity").rlike(Clean.INT_PATTERN))),
        rule("negative_stock_quantity", col("stock_quantity").cast("int").lt(0)),
        rule("invalid_reorder_level", not(col("reorder_level").rlike(Clean.INT_PATTERN))),
        rule("invalid_is_active", not(col("is_active").rlike(Clean.BOOLEAN_PATTERN))),
        rule("invalid_attributes", col("attributes").isNotNull().and(attributes().isNull()))));
    return rules;
  }

  private static Column attributes() {
    return from_json(col("attributes"), ATTRIBUTES, Map.of("mode", "PERMISSIVE"));
  }

  /** Cleaned, validated products to typed columns; other columns are kept. */
  public static Dataset<Row> toTyped(Dataset<Row> cleaned) {
    Contracts.requireColumns(cleaned, "type products", FIELDS.toArray(new String[0]));
    return cleaned
        .withColumn("price", col("price").cast(MONEY))
        .withColumn("cost", col("cost").cast(MONEY))
        .withColumn("stock_quantity", col("stock_quantity").cast("int"))
        .withColumn("reorder_level", col("reorder_level").cast("int"))
        .withColumn("is_active", col("is_active").cast("boolean"))
        .withColumn("attributes", attributes())
        .withColumn("updated_at", Clean.timestamp("updated_at"));
  }

  public static Dataset<Row> cleanCategories(Dataset<Row> raw) {
    return RawFields.clean(raw, CATEGORY_FIELDS, Map.of(), "categories");
  }

  public static List<RowRule> categoryRules() {
    return List.of(
        rule("malformed_row", col(CORRUPT_RECORD).isNotNull()),
        rule("missing_category_id", col("category_id").isNull()),
        rule("missing_category_name", col("category_name").isNull()));
  }
}

package io.shoplake.common.products;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import io.shoplake.common.transform.Contracts;
import io.shoplake.common.transform.Transform;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The pure transformations of product enrichment. All narrow: the two joins take small broadcast
 * tables (categories, units sold per product), so no product row is shuffled.
 */
public final class ProductTransforms {
  public static final String UNKNOWN_CATEGORY = "unknown_category";

  private ProductTransforms() {}

  /**
   * Joins each product to its category (name, parent, department, full path). A product whose
   * {@code category_id} is missing or not among the categories is kept, its category columns null and
   * {@code unknown_category} true.
   *
   * @param categories {@code category_id, category_name, parent_category_id, parent_category_name,
   *     department, category_path}
   */
  public static Transform withCategories(Dataset<Row> categories) {
    return products -> {
      Contracts.requireColumns(products, "join categories", "category_id");
      Contracts.requireColumns(categories, "join categories", "category_id", "category_name", "parent_category_id",
          "parent_category_name", "department", "category_path");
      Dataset<Row> lookup = categories.select(col("category_id").as("_category_id"), col("category_name"),
          col("parent_category_id"), col("parent_category_name"), col("department"), col("category_path"),
          lit(true).as("_category_found"));
      return products.join(broadcast(lookup), col("category_id").equalTo(col("_category_id")), "left")
          .withColumn(UNKNOWN_CATEGORY, col("_category_found").isNull())
          .drop("_category_id", "_category_found");
    };
  }

  /**
   * stock_value = stock x cost; margin = price - cost; margin_pct = margin / price x 100, rounded half
   * up to 2 decimals, null when the price is 0; low_stock = stock &lt;= reorder level. Each is null when
   * a value it needs is missing.
   */
  public static Dataset<Row> withInventoryMetrics(Dataset<Row> products) {
    Contracts.requireColumns(products, "derive inventory metrics", "stock_quantity", "cost", "price", "reorder_level");
    Column margin = col("price").minus(col("cost"));
    return products
        .withColumn("stock_value", col("stock_quantity").multiply(col("cost")).cast(DataTypes.createDecimalType(22, 2)))
        .withColumn("margin", margin.cast(DataTypes.createDecimalType(13, 2)))
        .withColumn("margin_pct", when(col("price").notEqual(0),
            round(margin.multiply(100).divide(col("price")), 2).cast(DataTypes.createDecimalType(12, 2))))
        .withColumn("low_stock", col("stock_quantity").leq(col("reorder_level")));
  }

  /**
   * units_sold_window (completed units of the product in the sales window; 0 when none) and
   * days_of_supply = stock / (units_sold_window / windowDays), rounded half up to 2 decimals: the days
   * the stock lasts at the window's daily rate. Null, not an error, when the product sold nothing in
   * the window (no rate to divide by) or its stock is unknown.
   *
   * @param unitsSold {@code product_id, units_sold} over the window; small, broadcast
   */
  public static Transform withDaysOfSupply(Dataset<Row> unitsSold, int windowDays) {
    return products -> {
      Contracts.requireColumns(products, "derive days_of_supply", "product_id", "stock_quantity");
      Contracts.requireColumns(unitsSold, "derive days_of_supply", "product_id", "units_sold");
      Dataset<Row> lookup = unitsSold.select(col("product_id").as("_sold_product_id"), col("units_sold"));
      Column units = col("units_sold");
      return products.join(broadcast(lookup), col("product_id").equalTo(col("_sold_product_id")), "left")
          .drop("_sold_product_id")
          .withColumn("units_sold_window", when(units.isNull(), lit(0L)).otherwise(units.cast("long")))
          .withColumn("days_of_supply", when(units.gt(0), round(col("stock_quantity").cast(DataTypes.createDecimalType(12, 0))
              .multiply(lit(windowDays)).divide(units.cast(DataTypes.createDecimalType(20, 0))), 2)
              .cast(DataTypes.createDecimalType(18, 2))))
          .drop("units_sold");
    };
  }
}

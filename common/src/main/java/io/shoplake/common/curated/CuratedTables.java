package io.shoplake.common.curated;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import io.shoplake.common.transform.Contracts;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The curated tables, as pure functions of processed data (see docs/DATA_CONTRACT.md for each
 * definition). Revenue and order counts use completed transactions only, in USD; a transaction
 * without a USD amount (no FX rate) counts as an order but adds nothing to USD sums. Clickstream
 * figures exclude bots. Rates are doubles, null when their denominator is 0.
 */
public final class CuratedTables {
  public static final String COMPLETED = "completed";

  private CuratedTables() {}

  /**
   * curated/sales: one row per processed transaction (every status), with its product's name, brand
   * and category. A transaction whose product is unknown keeps its row, the product and category
   * columns null. The product table is small and broadcast: no transaction is shuffled.
   */
  public static Dataset<Row> sales(Dataset<Row> transactions, Dataset<Row> products) {
    Contracts.requireColumns(transactions, "build sales", "transaction_id", "product_id", "transaction_ts", "year",
        "month", "day");
    Contracts.requireColumns(products, "build sales", "product_id", "name", "brand", "category_id", "category_name",
        "department");
    Dataset<Row> lookup = products.select(col("product_id").as("_product_id"), col("name").as("product_name"),
        col("brand"), col("category_id"), col("category_name"), col("department"));
    return transactions.join(broadcast(lookup), col("product_id").equalTo(col("_product_id")), "left")
        .select(col("transaction_id"), col("transaction_ts"), col("customer_id"), col("customer_email_hash"),
            col("product_id"), col("product_name"), col("brand"), col("category_id"), col("category_name"),
            col("department"), col("quantity"), col("unit_price"), col("discount_amount"), col("tax_amount"),
            col("gross_amount"), col("net_amount"), col("currency"), col("net_amount_usd"), col("status"),
            col("payment_method"), col("shipping_country"), col("year"), col("month"), col("day"));
  }

  /**
   * curated/daily_product_performance: one row per (date, product) with a completed sale or a
   * (non-bot) event naming the product that day. orders = distinct completed transactions, units_sold,
   * revenue_usd (0 when none), product_views and add_to_carts by event date, view_to_order_rate =
   * orders / product_views, review_count and avg_rating over all the product's reviews up to that
   * date (inclusive), stock_quantity as the product table has it now (latest known).
   *
   * @param transactions processed transactions of the dates to compute (any status; filtered here)
   * @param productEvents non-bot events with a product_id whose event date is among the dates
   * @param reviews every processed review (the cumulative figures need all of them up to each date)
   * @param products the product table (for stock_quantity)
   */
  public static Dataset<Row> dailyProductPerformance(Dataset<Row> transactions, Dataset<Row> productEvents,
      Dataset<Row> reviews, Dataset<Row> products) {
    Contracts.requireColumns(transactions, "build daily_product_performance", "transaction_id", "product_id",
        "status", "quantity", "net_amount_usd", "transaction_ts");
    Contracts.requireColumns(productEvents, "build daily_product_performance", "product_id", "event_type", "event_ts");
    Contracts.requireColumns(reviews, "build daily_product_performance", "product_id", "rating", "review_ts");
    Dataset<Row> sold = transactions.filter(col("status").equalTo(COMPLETED))
        .groupBy(to_date(col("transaction_ts")).as("date"), col("product_id"))
        .agg(countDistinct(col("transaction_id")).as("orders"), sum(col("quantity")).cast("long").as("units_sold"),
            sum(col("net_amount_usd")).as("revenue_usd"));
    Dataset<Row> viewed = productEvents
        .groupBy(to_date(col("event_ts")).as("date"), col("product_id"))
        .agg(sum(when(col("event_type").equalTo("product_view"), 1L).otherwise(0L)).as("product_views"),
            sum(when(col("event_type").equalTo("add_to_cart"), 1L).otherwise(0L)).as("add_to_carts"));
    Dataset<Row> days = sold.join(viewed, scala.collection.JavaConverters.asScalaBuffer(java.util.List.of("date", "product_id")).toSeq(),
            "full_outer")
        .withColumn("orders", coalesce(col("orders"), lit(0L)))
        .withColumn("units_sold", coalesce(col("units_sold"), lit(0L)))
        .withColumn("revenue_usd", coalesce(col("revenue_usd"), lit(0).cast(sold.schema().apply("revenue_usd").dataType())))
        .withColumn("product_views", coalesce(col("product_views"), lit(0L)))
        .withColumn("add_to_carts", coalesce(col("add_to_carts"), lit(0L)));

    // Cumulative reviews: the review days and the output days of each product in one date-ordered
    // window, so each output day sees the running count and sum up to it (no range join).
    Dataset<Row> reviewDays = reviews.groupBy(col("product_id"), to_date(col("review_ts")).as("date"))
        .agg(count(lit(1)).as("_reviews"), sum(col("rating")).cast("long").as("_rating_sum"));
    Dataset<Row> timeline = days.select(col("product_id"), col("date"), lit(true).as("_output"),
            lit(0L).as("_reviews"), lit(0L).as("_rating_sum"))
        .unionByName(reviewDays.withColumn("_output", lit(false)));
    org.apache.spark.sql.expressions.WindowSpec upToDate = Window.partitionBy(col("product_id")).orderBy(col("date"))
        .rangeBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> cumulative = timeline
        .withColumn("review_count", sum(col("_reviews")).over(upToDate))
        .withColumn("_rating_total", sum(col("_rating_sum")).over(upToDate))
        .filter(col("_output"))
        .select(col("product_id").as("_c_product_id"), col("date").as("_c_date"), col("review_count"),
            when(col("review_count").gt(0), col("_rating_total").cast("double").divide(col("review_count").cast("double")))
                .as("avg_rating"));

    Dataset<Row> stock = products.select(col("product_id").as("_s_product_id"), col("stock_quantity"));
    return days
        .join(cumulative, col("product_id").equalTo(col("_c_product_id")).and(col("date").equalTo(col("_c_date"))), "left")
        .join(broadcast(stock), col("product_id").equalTo(col("_s_product_id")), "left")
        .select(col("date"), col("product_id"), col("orders"), col("units_sold"), col("revenue_usd"),
            col("product_views"), col("add_to_carts"),
            when(col("product_views").gt(0), col("orders").cast("double").divide(col("product_views").cast("double")))
                .as("view_to_order_rate"),
            coalesce(col("review_count"), lit(0L)).as("review_count"), col("avg_rating"), col("stock_quantity"),
            year(col("date")).as("year"), month(col("date")).as("month"), dayofmonth(col("date")).as("day"));
  }

  /**
   * curated/customer_summary: one row per customer with a completed transaction: first and last order
   * time, orders (distinct completed transactions), lifetime_value_usd (sum of their USD amounts),
   * avg_order_value_usd (mean USD amount of the orders that have one) and sessions (non-bot sessions
   * whose user_id is the customer).
   */
  public static Dataset<Row> customerSummary(Dataset<Row> transactions, Dataset<Row> sessions) {
    Contracts.requireColumns(transactions, "build customer_summary", "customer_id", "transaction_id", "status",
        "transaction_ts", "net_amount_usd");
    Contracts.requireColumns(sessions, "build customer_summary", "session_id", "user_id");
    Dataset<Row> orders = transactions.filter(col("status").equalTo(COMPLETED))
        .groupBy(col("customer_id"))
        .agg(min(col("transaction_ts")).as("first_order_ts"), max(col("transaction_ts")).as("last_order_ts"),
            countDistinct(col("transaction_id")).as("orders"), sum(col("net_amount_usd")).as("lifetime_value_usd"),
            avg(col("net_amount_usd")).as("avg_order_value_usd"));
    Column sessionCount = countDistinct(col("session_id"));
    Dataset<Row> visits = sessions.filter(col("user_id").isNotNull())
        .groupBy(col("user_id").as("_user_id")).agg(sessionCount.as("sessions"));
    return orders.join(visits, col("customer_id").equalTo(col("_user_id")), "left")
        .select(col("customer_id"), col("first_order_ts"), col("last_order_ts"), col("orders"),
            col("lifetime_value_usd"), col("avg_order_value_usd"), coalesce(col("sessions"), lit(0L)).as("sessions"));
  }
}

package io.shoplake.common.curated;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;

import io.shoplake.common.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The curated definitions on inline processed rows, with exact expected rows. */
class CuratedTablesTest {
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> transactions() {
    return spark.sql("select transaction_id, customer_id, 'h' as customer_email_hash, product_id, quantity,"
        + " cast(unit_price as decimal(12,2)) as unit_price, cast(0 as decimal(12,2)) as discount_amount,"
        + " cast(0 as decimal(12,2)) as tax_amount, cast(quantity * unit_price as decimal(18,2)) as gross_amount,"
        + " cast(quantity * unit_price as decimal(18,2)) as net_amount, 'USD' as currency,"
        + " cast(usd as decimal(37,10)) as net_amount_usd, status, 'card' as payment_method, 'US' as shipping_country,"
        + " cast(ts as timestamp) as transaction_ts, year(cast(ts as timestamp)) as year,"
        + " month(cast(ts as timestamp)) as month, day(cast(ts as timestamp)) as day from values"
        + " ('T1', 'C1', 'P1', 2, 10.00, 20.00, 'completed', '2025-01-01 10:00:00'),"
        + " ('T2', 'C1', 'P1', 1, 10.00, null, 'completed', '2025-01-01 11:00:00'),"
        + " ('T3', 'C2', 'P1', 5, 10.00, 50.00, 'pending', '2025-01-01 12:00:00'),"
        + " ('T4', 'C2', 'P9', 1, 7.50, 7.50, 'completed', '2025-01-02 09:00:00'),"
        + " ('T5', 'C1', 'P2', 3, 1.00, 3.00, 'completed', '2025-01-02 10:00:00')"
        + " as t(transaction_id, customer_id, product_id, quantity, unit_price, usd, status, ts)");
  }

  private Dataset<Row> products() {
    return spark.sql("select * from values ('P1', 'Laptop', 'Acme', 'C2', 'Laptops', 'Electronics', 4),"
        + " ('P2', 'Mug', 'Acme', 'C404', null, null, 0)"
        + " as t(product_id, name, brand, category_id, category_name, department, stock_quantity)");
  }

  @Test
  void salesKeepsEveryTransactionAndNullsWhatIsUnknown() {
    assertSameRows(spark.sql("select * from values ('T1', 'Laptop', 'Laptops'), ('T2', 'Laptop', 'Laptops'),"
            + " ('T3', 'Laptop', 'Laptops'), ('T4', null, null), ('T5', 'Mug', null)"
            + " as t(transaction_id, product_name, category_name)"),
        CuratedTables.sales(transactions(), products()).select("transaction_id", "product_name", "category_name"));
  }

  @Test
  void dailyProductPerformanceCountsCompletedSalesEventsAndReviewsUpToTheDate() {
    Dataset<Row> events = spark.sql("select product_id, event_type, cast(ts as timestamp) as event_ts from values"
        + " ('P1', 'product_view', '2025-01-01 09:00:00'), ('P1', 'product_view', '2025-01-01 09:30:00'),"
        + " ('P1', 'product_view', '2025-01-01 09:40:00'), ('P1', 'add_to_cart', '2025-01-01 09:41:00'),"
        + " ('P3', 'product_view', '2025-01-03 08:00:00'), ('P3', 'remove_from_cart', '2025-01-03 08:01:00')"
        + " as t(product_id, event_type, ts)");
    Dataset<Row> reviews = spark.sql("select product_id, rating, cast(ts as timestamp) as review_ts from values"
        + " ('P1', 5, '2024-12-20 00:00:00'), ('P1', 2, '2025-01-01 23:00:00'), ('P1', 1, '2025-01-05 00:00:00'),"
        + " ('P3', 4, '2025-01-04 00:00:00') as t(product_id, rating, ts)");
    Dataset<Row> actual = CuratedTables.dailyProductPerformance(transactions(), events, reviews, products())
        .selectExpr("cast(date as string)", "product_id", "orders", "units_sold", "cast(revenue_usd as string)",
            "product_views", "add_to_carts", "view_to_order_rate", "review_count", "avg_rating", "stock_quantity",
            "year", "month", "day");
    // P1 on Jan 1: T1 and T2 completed (T2 has no USD amount: an order, no revenue), T3 pending; 3 views;
    // reviews up to Jan 1: 5 and 2. P9 is unknown (no stock). P3: events only, its review comes later.
    assertSameRows(spark.sql("select * from values"
        + " ('2025-01-01', 'P1', 2L, 3L, '20.0000000000', 3L, 1L, 0.6666666666666666D, 2L, 3.5D, 4, 2025, 1, 1),"
        + " ('2025-01-02', 'P9', 1L, 1L, '7.5000000000', 0L, 0L, cast(null as double), 0L, cast(null as double), cast(null as int), 2025, 1, 2),"
        + " ('2025-01-02', 'P2', 1L, 3L, '3.0000000000', 0L, 0L, cast(null as double), 0L, cast(null as double), 0, 2025, 1, 2),"
        + " ('2025-01-03', 'P3', 0L, 0L, '0E-10', 1L, 0L, 0.0D, 0L, cast(null as double), cast(null as int), 2025, 1, 3)"
        + " as t(date, product_id, orders, units_sold, revenue_usd, product_views, add_to_carts, view_to_order_rate,"
        + " review_count, avg_rating, stock_quantity, year, month, day)"), actual);
  }

  @Test
  void customerSummaryUsesCompletedOrdersAndCountsTheCustomersSessions() {
    Dataset<Row> sessions = spark.sql("select * from values ('s1', 'C1'), ('s2', 'C1'), ('s3', null), ('s4', 'C9')"
        + " as t(session_id, user_id)");
    Dataset<Row> actual = CuratedTables.customerSummary(transactions(), sessions)
        .selectExpr("customer_id", "cast(first_order_ts as string) as first", "cast(last_order_ts as string) as last",
            "orders", "cast(lifetime_value_usd as decimal(20,2)) as ltv", "cast(avg_order_value_usd as decimal(20,2)) as aov",
            "sessions");
    // C1: T1, T2 (no USD amount: an order, no value) and T5; the average is over the orders with a USD amount.
    assertSameRows(spark.sql("select * from values"
        + " ('C1', '2025-01-01 10:00:00', '2025-01-02 10:00:00', 3L, 23.00BD, 11.50BD, 2L),"
        + " ('C2', '2025-01-02 09:00:00', '2025-01-02 09:00:00', 1L, 7.50BD, 7.50BD, 0L)"
        + " as t(customer_id, first, last, orders, ltv, aov, sessions)")
            .selectExpr("customer_id", "first", "last", "orders", "cast(ltv as decimal(20,2)) as ltv",
                "cast(aov as decimal(20,2)) as aov", "sessions"), actual);
  }
}

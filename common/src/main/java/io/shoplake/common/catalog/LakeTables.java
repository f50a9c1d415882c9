package io.shoplake.common.catalog;

import io.shoplake.common.transactions.TransactionSchema;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The declared schema of every processed and curated table (docs/DATA_CONTRACT.md): what the Athena
 * DDL and the catalog registration are built from, never inferred from files. HiveCatalogIT holds each
 * declaration to the Parquet schema the jobs write on the sample data, so a job that changes a column
 * without changing its declaration fails the build. The stg_core copies (processed/stg_core/) are not
 * here: their columns are the source database's.
 */
public final class LakeTables {
  private static final String LINEAGE = "source_file STRING, ingested_at TIMESTAMP, run_id STRING, job_name STRING";
  private static final String DAY = "year INT, month INT, day INT";

  private static final List<LakeTable> TABLES = List.of(
      new LakeTable("processed", "transactions", TransactionSchema.processed(), true),
      table("processed", "products", "product_id STRING, sku STRING, name STRING, brand STRING, category_id STRING,"
          + " category_name STRING, parent_category_id STRING, parent_category_name STRING, department STRING,"
          + " category_path STRING, unknown_category BOOLEAN, price DECIMAL(12,2), cost DECIMAL(12,2),"
          + " currency STRING, stock_quantity INT, reorder_level INT, is_active BOOLEAN,"
          + " attributes MAP<STRING, STRING>, updated_at TIMESTAMP, stock_value DECIMAL(22,2), margin DECIMAL(13,2),"
          + " margin_pct DECIMAL(12,2), low_stock BOOLEAN, units_sold_window BIGINT, days_of_supply DECIMAL(18,2),"
          + " sales_window_end DATE, " + LINEAGE, false),
      table("processed", "categories", "category_id STRING, category_name STRING, parent_category_id STRING,"
          + " parent_category_name STRING, department STRING, category_path STRING, depth INT, path_problem STRING,"
          + " ingested_at TIMESTAMP, run_id STRING, job_name STRING", false),
      table("processed", "reviews", "review_id STRING, product_id STRING, customer_id STRING, rating INT,"
          + " title STRING, body STRING, review_ts TIMESTAMP, verified_purchase BOOLEAN, " + LINEAGE + ", " + DAY,
          true),
      table("processed", "clickstream_events", "event_id STRING, visitor_id STRING, user_id STRING,"
          + " anonymous_id STRING, event_type STRING, event_ts TIMESTAMP, page_url STRING, product_id STRING,"
          + " transaction_id STRING, referrer STRING, device_type STRING, user_agent STRING, is_bot BOOLEAN,"
          + " session_id STRING, session_start TIMESTAMP, " + LINEAGE + ", " + DAY, true),
      table("processed", "sessions", "session_id STRING, visitor_id STRING, user_id STRING, anonymous_id STRING,"
          + " session_start TIMESTAMP, session_end TIMESTAMP, duration_s DOUBLE, event_count BIGINT,"
          + " page_views BIGINT, product_views BIGINT, searches BIGINT, add_to_carts BIGINT,"
          + " remove_from_carts BIGINT, checkout_starts BIGINT, purchases BIGINT, converted BOOLEAN,"
          + " bounced BOOLEAN, landing_page STRING, exit_page STRING, device_type STRING, referrer STRING,"
          + " date DATE, hour INT, ingested_at TIMESTAMP, run_id STRING, job_name STRING, " + DAY, true),
      table("curated", "sales", "transaction_id STRING, transaction_ts TIMESTAMP, customer_id STRING,"
          + " customer_email_hash STRING, product_id STRING, product_name STRING, brand STRING, category_id STRING,"
          + " category_name STRING, department STRING, quantity INT, unit_price DECIMAL(12,2),"
          + " discount_amount DECIMAL(12,2), tax_amount DECIMAL(12,2), gross_amount DECIMAL(18,2),"
          + " net_amount DECIMAL(18,2), currency STRING, net_amount_usd DECIMAL(37,10), status STRING,"
          + " payment_method STRING, shipping_country STRING, " + DAY, true),
      table("curated", "daily_product_performance", "date DATE, product_id STRING, orders BIGINT,"
          + " units_sold BIGINT, revenue_usd DECIMAL(38,10), product_views BIGINT, add_to_carts BIGINT,"
          + " view_to_order_rate DOUBLE, review_count BIGINT, avg_rating DOUBLE, stock_quantity INT, " + DAY, true),
      table("curated", "customer_summary", "customer_id STRING, first_order_ts TIMESTAMP, last_order_ts TIMESTAMP,"
          + " orders BIGINT, lifetime_value_usd DECIMAL(38,10), avg_order_value_usd DECIMAL(38,14),"
          + " sessions BIGINT", false),
      table("curated", "traffic_hourly", "date DATE, hour INT, sessions BIGINT, visitors BIGINT, page_views BIGINT,"
          + " bounce_rate DOUBLE, conversion_rate DOUBLE, avg_session_duration_s DOUBLE, " + DAY, true),
      table("curated", "conversion_funnel_daily", "date DATE, sessions BIGINT, sessions_with_product_view BIGINT,"
          + " sessions_with_add_to_cart BIGINT, sessions_with_checkout BIGINT, sessions_with_purchase BIGINT,"
          + " view_to_cart_rate DOUBLE, cart_to_checkout_rate DOUBLE, checkout_to_purchase_rate DOUBLE,"
          + " conversion_rate DOUBLE, " + DAY, true));

  private LakeTables() {}

  /** Every declared table, processed first, in a stable order. */
  public static List<LakeTable> all() {
    return TABLES;
  }

  private static LakeTable table(String zone, String name, String ddl, boolean partitioned) {
    return new LakeTable(zone, name, StructType.fromDDL(ddl), partitioned);
  }
}

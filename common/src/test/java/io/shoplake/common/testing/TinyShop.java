package io.shoplake.common.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * The smallest raw zone the whole pipeline runs on: two days (2025-01-01 and 02) of transactions and
 * clickstream, two products in one category, one review, USD rates. Small enough for a pipeline run of
 * a few seconds in the shared session.
 */
public final class TinyShop {
  private TinyShop() {}

  public static TestLake create(Path root) {
    TestLake lake = new TestLake(root);
    lake.writeFxRates("2025-01-01", "fx.csv", List.of("2025-01-01,USD,1"));
    lake.writeRaw("categories", "2025-01-01", "c.csv", "category_id,category_name,parent_category_id,department",
        List.of("C1,Cat,,Dept"));
    lake.writeJsonLines("products", "2025-01-01", "p.jsonl", List.of(
        "{\"product_id\":\"P1\",\"name\":\"One\",\"category_id\":\"C1\",\"price\":10,\"cost\":5,\"stock_quantity\":30,"
            + "\"reorder_level\":5,\"updated_at\":\"2025-01-01T00:00:00Z\"}",
        "{\"product_id\":\"P2\",\"name\":\"Two\",\"category_id\":\"C1\",\"price\":20,\"cost\":8,\"stock_quantity\":9,"
            + "\"reorder_level\":5,\"updated_at\":\"2025-01-01T00:00:00Z\"}"));
    lake.writeTransactions("2025-01-01", "t1.csv", List.of(
        transaction("T1", "C1", "P1", "2025-01-01T10:00:00Z"),
        transaction("T2", "C2", "P2", "2025-01-01T11:00:00Z")));
    lake.writeTransactions("2025-01-02", "t2.csv", List.of(transaction("T3", "C1", "P2", "2025-01-02T09:00:00Z")));
    lake.writeJsonLines("reviews", "2025-01-01", "r.jsonl", List.of(
        "{\"review_id\":\"R1\",\"product_id\":\"P1\",\"customer_id\":\"C1\",\"rating\":4,\"title\":\"ok\",\"body\":\"ok\","
            + "\"review_ts\":\"2025-01-01T12:00:00Z\",\"verified_purchase\":true}"));
    lake.writeJsonLines("clickstream", "2025-01-01", "e1.jsonl", List.of(
        event("E1", "C1", "page_view", "2025-01-01T09:50:00Z", null),
        event("E2", "C1", "product_view", "2025-01-01T09:52:00Z", "P1")));
    lake.writeJsonLines("clickstream", "2025-01-02", "e2.jsonl", List.of(
        event("E3", "C1", "product_view", "2025-01-02T08:55:00Z", "P2")));
    return lake;
  }

  public static String transaction(String id, String customer, String product, String ts) {
    return id + "," + customer + "," + product + ",1,10.00,0,0,USD,card,completed," + ts + ",,US";
  }

  private static String event(String id, String user, String type, String ts, String product) {
    return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"anonymous_id\":\"A-" + user + "\","
        + "\"event_type\":\"" + type + "\",\"event_ts\":\"" + ts + "\",\"page_url\":\"/\",\"product_id\":"
        + (product == null ? "null" : "\"" + product + "\"") + ",\"user_agent\":\"Mozilla/5.0\"}";
  }
}

package io.shoplake.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a lake's numbers against an independent recomputation in DuckDB SQL (another engine, written
 * from docs/DATA_CONTRACT.md, sharing no code with the jobs):
 * <ul>
 *   <li>sessions per start date, recomputed from the raw clickstream JSON lines (valid rows, first
 *       delivery of each event id, no bots, a new session after a pause of more than 30 minutes),
 *       against curated/conversion_funnel_daily. The 24-hour maximum is not recomputed; sessions of
 *       the recomputation longer than 24 hours are counted and reported, since they explain a
 *       difference;
 *   <li>curated/customer_summary and curated/daily_product_performance, recomputed from the processed
 *       datasets, column by column;
 *   <li>curated/sales against processed/transactions (rows and the USD sum).
 * </ul>
 * Raw lines are read one by one ({@code read_csv} of whole lines, then {@code json_valid}): DuckDB's
 * {@code read_json ... ignore_errors} also drops the valid line after a truncated one. Files validate rejected
 * are left out, as the jobs leave them out, and an {@code event_ts} outside the contract's forms is not an event
 * (the job quarantines it), so a lake with bad raw files is checked too. The forms are written out in full, since
 * DuckDB's cast takes more than the contract does (an offset of +19:00 or +14:60, a fraction of 13 digits).
 *
 * <p>Usage: {@code DuckDbLakeCheck <lake-root-dir>}; prints one line per check, exits 1 when any check
 * finds a difference.
 */
public final class DuckDbLakeCheck {
  private DuckDbLakeCheck() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (SQLException e) {
      System.err.println("ERROR: Cannot check the lake: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
      System.exit(1);
    }
  }

  private static int run(String[] args) throws SQLException {
    if (args.length != 1) {
      System.err.println("Usage: DuckDbLakeCheck <lake-root-dir>");
      return 2;
    }
    String lake = args[0];
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put("sessions per day (raw clickstream vs conversion_funnel_daily)", """
        WITH mine AS (SELECT CAST(start AS DATE) AS d, count(*) AS n FROM session_starts GROUP BY 1),
             lake AS (SELECT date AS d, sessions AS n FROM read_parquet('%1$s/curated/conversion_funnel_daily/*/*/*/*.parquet'))
        SELECT count(*) FILTER (WHERE mine.n IS DISTINCT FROM lake.n), count(*) FROM mine FULL JOIN lake USING (d)""");
    checks.put("customer_summary (from processed transactions and sessions)", """
        WITH r AS (SELECT customer_id, min(transaction_ts) AS f, max(transaction_ts) AS l,
                          count(DISTINCT transaction_id) AS o, sum(net_amount_usd) AS ltv, avg(net_amount_usd) AS aov
                   FROM tx WHERE status = 'completed' GROUP BY 1),
             x AS (SELECT user_id, count(DISTINCT session_id) AS n FROM ss WHERE user_id IS NOT NULL GROUP BY 1),
             cs AS (SELECT * FROM read_parquet('%1$s/curated/customer_summary/*.parquet'))
        SELECT count(*) FILTER (WHERE cs.orders IS DISTINCT FROM r.o OR cs.lifetime_value_usd IS DISTINCT FROM r.ltv
                 OR cs.first_order_ts IS DISTINCT FROM r.f OR cs.last_order_ts IS DISTINCT FROM r.l
                 OR abs(cs.avg_order_value_usd - r.aov) > 1e-9 OR (cs.avg_order_value_usd IS NULL) <> (r.aov IS NULL)
                 OR cs.sessions IS DISTINCT FROM coalesce(x.n, 0)), count(*)
        FROM r LEFT JOIN x ON r.customer_id = x.user_id FULL JOIN cs USING (customer_id)""");
    checks.put("daily_product_performance (from processed transactions, events, reviews, products)", """
        WITH sold AS (SELECT CAST(transaction_ts AS DATE) AS d, product_id, count(DISTINCT transaction_id) AS o,
                             sum(quantity) AS u, sum(net_amount_usd) AS rev
                      FROM tx WHERE status = 'completed' GROUP BY 1, 2),
             seen AS (SELECT CAST(event_ts AS DATE) AS d, product_id,
                             count(*) FILTER (WHERE event_type = 'product_view') AS pv,
                             count(*) FILTER (WHERE event_type = 'add_to_cart') AS ac
                      FROM ev WHERE NOT is_bot AND product_id IS NOT NULL GROUP BY 1, 2),
             r AS (SELECT d, product_id, coalesce(o, 0) AS o, coalesce(u, 0) AS u, coalesce(rev, 0) AS rev,
                          coalesce(pv, 0) AS pv, coalesce(ac, 0) AS ac FROM sold FULL JOIN seen USING (d, product_id)),
             rc AS (SELECT r.d, r.product_id, count(rv.review_id) AS n, avg(rv.rating) AS a
                    FROM r LEFT JOIN rv ON rv.product_id = r.product_id AND CAST(rv.review_ts AS DATE) <= r.d
                    GROUP BY 1, 2),
             p AS (SELECT product_id, stock_quantity FROM read_parquet('%1$s/processed/products/*.parquet')),
             dpp AS (SELECT * FROM read_parquet('%1$s/curated/daily_product_performance/*/*/*/*.parquet'))
        SELECT count(*) FILTER (WHERE dpp.orders IS DISTINCT FROM r.o OR dpp.units_sold IS DISTINCT FROM r.u
                 OR dpp.revenue_usd IS DISTINCT FROM r.rev OR dpp.product_views IS DISTINCT FROM r.pv
                 OR dpp.add_to_carts IS DISTINCT FROM r.ac OR dpp.review_count IS DISTINCT FROM rc.n
                 OR abs(coalesce(dpp.avg_rating, -1) - coalesce(rc.a, -1)) > 1e-12
                 OR dpp.view_to_order_rate IS DISTINCT FROM (CASE WHEN r.pv > 0 THEN r.o / r.pv END)
                 OR dpp.stock_quantity IS DISTINCT FROM p.stock_quantity), count(*)
        FROM r JOIN rc USING (d, product_id) LEFT JOIN p USING (product_id)
        FULL JOIN dpp ON dpp.date = r.d AND dpp.product_id = r.product_id""");
    checks.put("sales (rows and USD sum against processed transactions)", """
        WITH s AS (SELECT count(*) AS n, sum(net_amount_usd) AS usd FROM read_parquet('%1$s/curated/sales/*/*/*/*.parquet')),
             t AS (SELECT count(*) AS n, sum(net_amount_usd) AS usd FROM tx)
        SELECT (s.n IS DISTINCT FROM t.n OR s.usd IS DISTINCT FROM t.usd)::INT, s.n FROM s, t""");

    int failed = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute(rejectedFiles(lake));
      s.execute(String.format("""
          CREATE VIEW tx AS SELECT * FROM read_parquet('%1$s/processed/transactions/*/*/*/*.parquet');
          CREATE VIEW ev AS SELECT * FROM read_parquet('%1$s/processed/clickstream_events/*/*/*/*.parquet');
          CREATE VIEW rv AS SELECT * FROM read_parquet('%1$s/processed/reviews/*/*/*/*.parquet');
          CREATE VIEW ss AS SELECT * FROM read_parquet('%1$s/processed/sessions/*/*/*/*.parquet');
          CREATE TABLE raw_lines AS
            SELECT line, filename
            FROM read_csv('%1$s/raw/clickstream/date=*/*', columns = {'line': 'VARCHAR'}, delim = chr(1),
                          quote = '', escape = '', header = false, filename = true)
            WHERE json_valid(line)
              AND substr(filename, length('%1$s') + 2) NOT IN (SELECT path FROM rejected_files);
          CREATE TABLE raw_events AS
            SELECT line->>'$.event_id' AS event_id, coalesce(line->>'$.user_id', line->>'$.anonymous_id') AS v,
                   line->>'$.event_type' AS event_type, line->>'$.event_ts' AS event_ts,
                   lower(coalesce(line->>'$.user_agent', '')) AS agent, filename
            FROM raw_lines WHERE json_type(line) = 'OBJECT';
          CREATE TABLE events AS
            SELECT event_id, v, CAST(trim(event_ts) AS TIMESTAMPTZ) AS ts FROM (
              SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY filename, event_ts) AS rn FROM raw_events
              WHERE nullif(trim(event_id), '') IS NOT NULL AND v IS NOT NULL
                AND regexp_full_match(trim(event_ts), '\\d{4}-\\d{2}-\\d{2}(T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d'
                  || '(\\.\\d{1,9})?(Z|[+-]((0\\d|1[0-7]):[0-5]\\d|18:00))| ([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?)')
                AND TRY_CAST(trim(event_ts) AS TIMESTAMPTZ) IS NOT NULL
                AND lower(event_type) IN ('page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart',
                                          'checkout_start', 'purchase'))
            WHERE rn = 1 AND NOT (agent LIKE '%%bot%%' OR agent LIKE '%%crawler%%' OR agent LIKE '%%spider%%'
                                  OR agent LIKE '%%headless%%');
          CREATE TABLE session_starts AS
            WITH g AS (SELECT *, CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL 30 MINUTE
                                      THEN 1 ELSE 0 END AS new_session
                       FROM events WINDOW w AS (PARTITION BY v ORDER BY ts, event_id)),
                 n AS (SELECT *, sum(new_session) OVER (PARTITION BY v ORDER BY ts, event_id
                                                        ROWS UNBOUNDED PRECEDING) AS k FROM g)
            SELECT v, k, min(ts) AS start, max(ts) - min(ts) > INTERVAL 24 HOUR AS too_long FROM n GROUP BY v, k;
          """, lake));
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM session_starts WHERE too_long")) {
        r.next();
        if (r.getLong(1) > 0) {
          System.out.println("note: " + r.getLong(1) + " recomputed session(s) last over 24 hours: the lake splits them");
        }
      }
      for (Map.Entry<String, String> check : checks.entrySet()) {
        try (ResultSet r = s.executeQuery(String.format(check.getValue(), lake))) {
          r.next();
          long differences = r.getLong(1);
          failed += differences > 0 ? 1 : 0;
          System.out.printf("%s %s: %d difference(s) over %d row(s)%n", differences == 0 ? "OK  " : "DIFF",
              check.getKey(), differences, r.getLong(2));
        }
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /**
   * The raw files validate rejected ({@code _state/validate/files.json}, paths under the lake root): the jobs
   * never read them, so neither does the recomputation. Empty when validate never ran.
   */
  private static String rejectedFiles(String lake) {
    java.nio.file.Path registry = java.nio.file.Path.of(lake, "_state", "validate", "files.json");
    if (!java.nio.file.Files.exists(registry)) {
      return "CREATE TABLE rejected_files (path VARCHAR)";
    }
    return String.format("""
        CREATE TABLE rejected_files AS
          SELECT e.key AS path FROM read_json_objects('%s') r, json_each(r.json) e
          WHERE e.value->>'verdict' = 'rejected'""", registry);
  }
}

package io.shoplake.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Benchmark reference: the transaction ETL's transformation written in DuckDB SQL (same rules, same
 * dedup, same derivations and FX as-of conversion, partitioned Snappy Parquet out), to put our Spark
 * figures next to a fast single-node engine. Also reads back both outputs and prints their row count
 * and sum of net_amount so bench.sh can check the two agree.
 *
 * <p>Differences, on purpose: DuckDB hashes e-mails with sha256(key || email) (it has no HMAC; the
 * per-row cost is alike), and skips lines that do not split into the declared columns instead of
 * quarantining them. Neither changes the rows written.
 *
 * <p>Usage: {@code DuckDbTransactionsReference run <raw-lake-root> <out-dir>} prints
 * {@code seconds rows sum}; {@code DuckDbTransactionsReference stats <parquet-dir>} prints {@code rows sum}.
 */
public final class DuckDbTransactionsReference {
  private static final String VALID_ROWS = """
      WITH c AS (
        SELECT nullif(trim(transaction_id), '') AS transaction_id, nullif(trim(customer_id), '') AS customer_id,
               nullif(trim(product_id), '') AS product_id, nullif(trim(quantity), '') AS q,
               nullif(trim(unit_price), '') AS up, nullif(trim(discount_amount), '') AS da,
               nullif(trim(tax_amount), '') AS ta, upper(nullif(trim(currency), '')) AS currency,
               nullif(trim(payment_method), '') AS payment_method, lower(nullif(trim(status), '')) AS status,
               nullif(trim(transaction_ts), '') AS ts, nullif(trim(customer_email), '') AS customer_email,
               upper(nullif(trim(shipping_country), '')) AS shipping_country, filename AS source_file
        FROM read_csv('%1$s/raw/transactions/date=*/*.csv', header = true, all_varchar = true, filename = true,
                      ignore_errors = true, auto_detect = false, delim = ',', quote = '"',
                      columns = {'transaction_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR',
                        'quantity': 'VARCHAR', 'unit_price': 'VARCHAR', 'discount_amount': 'VARCHAR',
                        'tax_amount': 'VARCHAR', 'currency': 'VARCHAR', 'payment_method': 'VARCHAR',
                        'status': 'VARCHAR', 'transaction_ts': 'VARCHAR', 'customer_email': 'VARCHAR',
                        'shipping_country': 'VARCHAR'})
      ), typed AS (
        SELECT *, TRY_CAST(q AS INTEGER) AS quantity, TRY_CAST(up AS DECIMAL(12,2)) AS unit_price,
               coalesce(TRY_CAST(da AS DECIMAL(12,2)), 0) AS discount_amount,
               coalesce(TRY_CAST(ta AS DECIMAL(12,2)), 0) AS tax_amount,
               CAST(TRY_CAST(ts AS TIMESTAMPTZ) AS TIMESTAMP) AS transaction_ts
        FROM c
        WHERE transaction_id IS NOT NULL AND customer_id IS NOT NULL AND product_id IS NOT NULL
          AND regexp_full_match(q, '[+-]?[0-9]{1,9}') AND TRY_CAST(q AS INTEGER) > 0
          AND regexp_full_match(up, '[+-]?[0-9]{1,10}(\\.[0-9]{1,2})?') AND TRY_CAST(up AS DECIMAL(12,2)) >= 0
          AND (da IS NULL OR (regexp_full_match(da, '[+-]?[0-9]{1,10}(\\.[0-9]{1,2})?') AND TRY_CAST(da AS DECIMAL(12,2)) >= 0))
          AND coalesce(TRY_CAST(da AS DECIMAL(12,2)), 0) <= TRY_CAST(q AS INTEGER) * TRY_CAST(up AS DECIMAL(12,2))
          AND (ta IS NULL OR (regexp_full_match(ta, '[+-]?[0-9]{1,10}(\\.[0-9]{1,2})?') AND TRY_CAST(ta AS DECIMAL(12,2)) >= 0))
          AND regexp_full_match(currency, '[A-Z]{3}')
          AND status IN ('completed', 'pending', 'cancelled', 'refunded')
          AND regexp_full_match(ts, '[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})| [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?)')
          AND TRY_CAST(ts AS TIMESTAMPTZ) IS NOT NULL
          AND (shipping_country IS NULL OR regexp_full_match(shipping_country, '[A-Z]{2}'))
      ), deduped AS (
        SELECT * FROM typed
        QUALIFY row_number() OVER (PARTITION BY transaction_id
                                   ORDER BY transaction_ts DESC, source_file DESC, hash(customer_id, product_id, q, up, status) DESC) = 1
      ), fx AS (
        SELECT CAST(trim(rate_date) AS DATE) AS rate_date, upper(trim(currency)) AS fx_currency,
               CAST(trim(usd_rate) AS DECIMAL(18,8)) AS usd_rate
        FROM read_csv('%1$s/raw/fx_rates/date=*/*.csv', header = true, all_varchar = true, ignore_errors = true)
        WHERE TRY_CAST(trim(usd_rate) AS DECIMAL(18,8)) > 0 AND TRY_CAST(trim(rate_date) AS DATE) IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY upper(trim(currency)), trim(rate_date) ORDER BY usd_rate DESC) = 1
      ), amounts AS (
        SELECT *, CAST(quantity * unit_price AS DECIMAL(18,2)) AS gross_amount,
               CAST(quantity * unit_price - discount_amount + tax_amount AS DECIMAL(18,2)) AS net_amount,
               CAST(transaction_ts AS DATE) AS tx_date
        FROM deduped
      )
      SELECT a.transaction_id, a.customer_id, a.product_id, a.quantity, a.unit_price, a.discount_amount,
             a.tax_amount, a.gross_amount, a.net_amount, a.currency, fx.usd_rate,
             a.net_amount * fx.usd_rate AS net_amount_usd, fx.usd_rate IS NULL AS missing_fx_rate,
             a.payment_method, a.status, a.transaction_ts, hour(a.transaction_ts) AS hour,
             sha256('bench-key' || lower(a.customer_email)) AS customer_email_hash, a.shipping_country,
             a.source_file, year(a.transaction_ts) AS year, month(a.transaction_ts) AS month,
             day(a.transaction_ts) AS day
      FROM amounts a ASOF LEFT JOIN fx ON a.currency = fx.fx_currency AND a.tx_date >= fx.rate_date
      """;

  private DuckDbTransactionsReference() {}

  public static void main(String[] args) throws SQLException {
    if (args.length < 2) {
      System.err.println("usage: run <lake-root> <out-dir> | stats <parquet-dir>");
      System.exit(2);
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
      if (args[0].equals("run")) {
        long start = System.nanoTime();
        st.execute("COPY (" + String.format(Locale.ROOT, VALID_ROWS, args[1]) + ") TO '" + args[2]
            + "' (FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE)");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%.2f %s%n", seconds, stats(st, args[2]));
      } else {
        System.out.println(stats(st, args[1]));
      }
    }
  }

  private static String stats(Statement st, String dir) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(net_amount), 0) FROM read_parquet('"
        + dir + "/**/*.parquet', hive_partitioning = false)")) {
      rs.next();
      return rs.getLong(1) + " " + rs.getBigDecimal(2).toPlainString();
    }
  }
}

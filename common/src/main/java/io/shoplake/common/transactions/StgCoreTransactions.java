package io.shoplake.common.transactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.common.rules.RawFields;
import io.shoplake.common.jdbc.Retry;
import io.shoplake.common.jdbc.StgCoreConnection;
import io.shoplake.common.job.JobContext;
import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRule;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The transaction ETL's rows from stg_core instead of raw CSV: one transaction per order item, its
 * order's customer, currency, status and time, and its customer's e-mail, as the strings a CSV would
 * hold, so they go through the same rules and derivations (docs/DATA_CONTRACT.md, "transactions from
 * stg_core").
 *
 * <p>The mapping: {@code transaction_id} = {@code order_items.id}; {@code customer_id}, {@code currency},
 * {@code status} from {@code orders}; {@code transaction_ts} = {@code orders.created_at} (a DATETIME,
 * taken as UTC, formatted by the database so no time zone of the JVM or the connection shifts it);
 * {@code customer_email} from {@code customers}. stg_core has no discount, tax, payment method or
 * shipping country per item: they are empty, so discount and tax are 0. An item whose order does not
 * exist is quarantined as {@code order_not_found}, never dropped.
 *
 * <p>Lineage: each order date (the item's {@code updated_at} date for an item without an order) is one
 * unit, {@code source_file = stg_core/order_items/date=YYYY-MM-DD}, so a rerun replaces exactly the rows
 * of the dates it reads, like a raw file. {@code --run-date D} reads the items of the orders created on D.
 *
 * <p>Cost: one grouped query on the driver (dates, counts, id bounds; retried on connection failures),
 * then one JDBC read of the join, in {@code shoplake.stg-core.partitions} ranges of the item id when
 * {@code order_items} is among the parallel tables. The whole selection is read each run: the ETL's
 * deduplication makes that correct, the jdbc-extract watermarks are for the copy of the tables.
 */
public final class StgCoreTransactions {
  /**
   * The unit of an item with no time at all (its order's created_at and its own updated_at NULL, or its order
   * missing): read with the others and quarantined by the rules under this name. Without a unit of its own it
   * failed the run's row accounting (a null lineage).
   */
  static final String UNDATED = "undated";

  /** The lineage prefix of rows read from stg_core. */
  public static final String SOURCE_PREFIX = "stg_core/order_items/date=";

  private static final String FOUND = "order_found";

  private StgCoreTransactions() {}

  /** Reads the selection of {@code ctx} (every order, or those of {@code --run-date}). */
  public static TransactionInput read(JobContext ctx) {
    StgCoreConnection connection = ctx.requireStgCore();
    String query = query(ctx.args().runDate());
    String whenEmpty = "no order items in stg_core at " + connection.maskedUrl()
        + ctx.args().runDate().map(d -> " for orders of " + d).orElse("");
    ctx.stage("dates and bounds of stg_core.order_items");
    Bounds bounds = bounds(connection, query, Retry.of(ctx.config().stgCore().retry()));
    if (bounds.units().isEmpty()) {
      return new TransactionInput(List.of(), null, List.of(), List.of(), whenEmpty);
    }
    ctx.stage("read " + bounds.rows() + " order item(s) from stg_core");
    DataFrameReader reader = connection.reader(ctx.spark(), query, ctx.config().stgCore().fetchSize());
    int parts = ctx.config().stgCore().parallelTables().contains("order_items") ? ctx.config().stgCore().partitions() : 1;
    if (parts > 1 && bounds.maxId() > bounds.minId()) {
      reader = reader.option("partitionColumn", "item_id").option("lowerBound", bounds.minId())
          .option("upperBound", bounds.maxId()).option("numPartitions", String.valueOf(parts));
    }
    Dataset<Row> read = reader.load();
    List<Column> columns = new ArrayList<>();
    for (String column : TransactionSchema.RAW_COLUMNS) {
      columns.add(List.of(read.columns()).contains(column) ? col(column).cast("string").as(column)
          : lit(null).cast("string").as(column));
    }
    columns.add(lit(null).cast("string").as(RawFields.CORRUPT_RECORD));
    columns.add(concat(lit(SOURCE_PREFIX), col("raw_date")).as("source_file"));
    columns.add(col("raw_date"));
    columns.add(col(FOUND).equalTo(1).as(FOUND));
    return new TransactionInput(bounds.units(), read.select(columns.toArray(new Column[0])),
        List.of(RowRule.rule("order_not_found", col(FOUND).equalTo(false))), List.of(FOUND), whenEmpty);
  }

  /**
   * The join, with every value the CSV has as text. The only literals are dates formatted from a parsed
   * {@link LocalDate}: nothing from outside is written into the SQL.
   */
  static String query(Optional<LocalDate> runDate) {
    String where = runDate.map(d -> " WHERE (o.created_at >= " + day(d) + " AND o.created_at < " + day(d.plusDays(1))
        + ") OR (o.id IS NULL AND i.updated_at >= " + day(d) + " AND i.updated_at < " + day(d.plusDays(1)) + ")")
        .orElse("");
    return "SELECT i.id AS item_id, CAST(i.id AS CHAR) AS transaction_id, o.customer_id, i.product_id,"
        + " CAST(i.quantity AS CHAR) AS quantity, CAST(i.unit_price AS CHAR) AS unit_price, o.currency, o.status,"
        + " DATE_FORMAT(o.created_at, '%Y-%m-%d %H:%i:%s') AS transaction_ts, c.email AS customer_email,"
        + " COALESCE(DATE_FORMAT(COALESCE(o.created_at, i.updated_at), '%Y-%m-%d'), '" + UNDATED + "') AS raw_date,"
        + " CASE WHEN o.id IS NULL THEN 0 ELSE 1 END AS " + FOUND
        + " FROM order_items i LEFT JOIN orders o ON o.id = i.order_id LEFT JOIN customers c ON c.id = o.customer_id"
        + where;
  }

  private static String day(LocalDate date) {
    return "TIMESTAMP '" + date + " 00:00:00'";
  }

  /** The units (one per date; no size, there is no file), the total and the item id range. */
  record Bounds(List<InputFile> units, long rows, long minId, long maxId) {}

  private static Bounds bounds(StgCoreConnection connection, String query, Retry retry) {
    try {
      return retry.run(() -> queryBounds(connection, query));
    } catch (Retry.Exhausted e) {
      throw new IllegalStateException("Cannot read stg_core.order_items at " + connection.maskedUrl() + " after "
          + e.attempts() + " attempts: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read stg_core.order_items at " + connection.maskedUrl() + ": "
          + e.getMessage(), e);
    }
  }

  private static Bounds queryBounds(StgCoreConnection connection, String query) throws SQLException {
    List<InputFile> units = new ArrayList<>();
    long rows = 0;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    try (Connection c = connection.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT raw_date, COUNT(*), MIN(item_id), MAX(item_id) FROM (" + query
            + ") AS t GROUP BY raw_date ORDER BY raw_date")) {
      while (r.next()) {
        String date = r.getString(1);
        long n = r.getLong(2);
        units.add(new InputFile(connection.maskedUrl() + "#order_items/date=" + date, SOURCE_PREFIX + date, date, 0, 0));
        rows += n;
        minId = Math.min(minId, r.getLong(3));
        maxId = Math.max(maxId, r.getLong(4));
      }
    }
    return new Bounds(units, rows, minId, maxId);
  }
}

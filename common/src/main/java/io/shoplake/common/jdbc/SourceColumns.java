package io.shoplake.common.jdbc;

import io.shoplake.common.ingest.SchemaContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The columns of a stg_core table as the server describes them, and the two things jdbc-extract must do
 * about some of them before Spark's JDBC reader copies the table (Spark maps every column by its JDBC type
 * alone, and the columns are whatever the shop's schema has grown, not only the contract's):
 *
 * <ul>
 *   <li><b>Read as text</b> ({@link #selectList()}) what no Spark type holds exactly. MySQL's {@code TIME}
 *       is a duration from {@code -838:59:59} to {@code 838:59:59}: Spark reads it as a timestamp of
 *       1970-01-01, and Connector/J refuses any value past 24 hours, which failed the whole read and every
 *       rerun. A {@code DECIMAL} of more than 38 digits (MySQL allows 65): Spark narrows it to 38 and fails
 *       on the first value that needs more. Both are copied as MySQL prints them ({@code 838:59:59}).
 *   <li><b>Rename</b> ({@link #renames()}) a column named like one the lake adds or gives a meaning
 *       ({@code source_table}, ingest's {@link SchemaContract#RESERVED}: {@code ingested_at}, {@code run_id},
 *       the partition columns {@code year}, {@code month}, {@code day}, quarantine's {@code reject_reason}, ...,
 *       and {@code email_hash} where the table has an {@code email}): the lake's column would replace its values
 *       without a word. It is kept as {@code <name>_value}, as the ingest job keeps such a column.
 * </ul>
 *
 * <p>Cost: one query that returns no row ({@code WHERE 1 = 0}), on the connection of the bound queries.
 *
 * @param table the table's name, for messages
 * @param columns its columns, in the table's order
 */
record SourceColumns(String table, List<Column> columns) {
  /** Digits Spark's decimal holds. */
  private static final int SPARK_MAX_DIGITS = 38;

  /**
   * @param name the column's name as the server spells it
   * @param jdbcType its {@link Types} code, as Connector/J reports it
   * @param precision its digits (decimals), as reported
   */
  record Column(String name, int jdbcType, int precision) {}

  SourceColumns {
    columns = List.copyOf(columns);
  }

  /** The columns of {@code table} (a plain name, checked by the caller), from a query that returns no row. */
  static SourceColumns read(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM `" + table + "` WHERE 1 = 0")) {
      ResultSetMetaData meta = r.getMetaData();
      List<Column> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(new Column(meta.getColumnLabel(i), meta.getColumnType(i), meta.getPrecision(i)));
      }
      return new SourceColumns(table, columns);
    }
  }

  /** The columns copied as their MySQL text, in the table's order. */
  List<String> readAsText() {
    return columns.stream().filter(SourceColumns::noSparkTypeHoldsIt).map(Column::name).toList();
  }

  private static boolean noSparkTypeHoldsIt(Column c) {
    return c.jdbcType() == Types.TIME
        || ((c.jdbcType() == Types.DECIMAL || c.jdbcType() == Types.NUMERIC) && c.precision() > SPARK_MAX_DIGITS);
  }

  /**
   * The SELECT list that reads every column, {@link #readAsText()} cast to text by the server (its own
   * print: {@code -01:30:00}; Connector/J's conversion of a binary {@code TIME} to text loses the sign),
   * each under its own name.
   */
  String selectList() {
    List<String> text = readAsText();
    return columns.stream().map(c -> text.contains(c.name())
            ? "CAST(" + quoted(c.name()) + " AS CHAR) AS " + quoted(c.name()) : quoted(c.name()))
        .collect(Collectors.joining(", "));
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The table's column named {@code email}, whatever its letter case: the one hashed. */
  Optional<String> email() {
    return columns.stream().map(Column::name).filter(n -> n.equalsIgnoreCase("email")).findFirst();
  }

  /**
   * Source name to lake name of each column named like one the lake adds, in the table's order. Fails in one
   * line when the new name is taken too: there is no name left to keep that column's values under.
   */
  Map<String, String> renames() {
    Set<String> taken = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    Map<String, String> renames = new LinkedHashMap<>();
    for (Column c : columns) {
      String lower = c.name().toLowerCase(Locale.ROOT);
      if (SchemaContract.RESERVED.contains(lower) || lower.equals("source_table")
          || (lower.equals("email_hash") && email().isPresent())) {
        String renamed = c.name() + SchemaContract.RESERVED_SUFFIX;
        if (taken.contains(renamed.toLowerCase(Locale.ROOT))) {
          throw new IllegalStateException("Cannot copy column '" + c.name() + "' of stg_core." + table
              + ": the lake adds a column of that name, and '" + renamed + "', where it would be kept instead,"
              + " is a column of the table too");
        }
        renames.put(c.name(), renamed);
      }
    }
    return renames;
  }
}

package io.shoplake.common.jdbc;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.pii.SecretReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * Where and as whom the jobs that read stg_core connect: the URL and user from {@code STG_CORE_JDBC_URL} and
 * {@code STG_CORE_USER}, else from config; the password from {@code STG_CORE_PASSWORD}, else from the
 * Secrets Manager secret in config (the password, or RDS's JSON form with {@code username} and
 * {@code password}, whose user applies when none is set), never from a file. {@link #toString()} and {@link #maskedUrl()}
 * never show the password, also when someone put one in the URL.
 */
public record StgCoreConnection(String url, String user, String password) {
  public static final String URL_ENV = "STG_CORE_JDBC_URL";
  public static final String USER_ENV = "STG_CORE_USER";
  public static final String PASSWORD_ENV = "STG_CORE_PASSWORD";

  public static StgCoreConnection resolve(LakeConfig.StgCore config, Map<String, String> env, SecretReader secrets) {
    String url = firstSet(env.get(URL_ENV), config.jdbcUrl());
    if (url == null) {
      throw new UsageException("Cannot connect to stg_core: no JDBC URL (set " + URL_ENV + " or shoplake.stg-core.jdbc-url)");
    }
    if (!url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
      throw new UsageException("Cannot connect to stg_core: '" + mask(url) + "' is not a jdbc:mysql: URL");
    }
    String user = firstSet(env.get(USER_ENV), config.user());
    String password = env.get(PASSWORD_ENV);
    if (password == null && !config.passwordSecretId().isBlank()) {
      String id = config.passwordSecretId();
      Map<String, String> secret = parseSecret(secrets.read(id), id);
      password = secret.get("password");
      if (user == null) {
        user = firstSet(secret.get("username"));
      }
    }
    if (user == null) {
      throw new UsageException("Cannot connect to stg_core: no user (set " + USER_ENV + " or shoplake.stg-core.user)");
    }
    if (password == null) {
      throw new UsageException("Cannot connect to stg_core: no password (set " + PASSWORD_ENV
          + " or shoplake.stg-core.password-secret-id)");
    }
    return new StgCoreConnection(url, user, password);
  }

  /**
   * A secret is either the password itself, or a JSON object with {@code password} and optionally
   * {@code username}, the form of the secrets RDS and Aurora create. Messages never quote the secret.
   */
  static Map<String, String> parseSecret(String secret, String id) {
    if (!secret.trim().startsWith("{")) {
      return Map.of("password", secret);
    }
    Map<String, Object> fields;
    try {
      fields = new com.fasterxml.jackson.databind.ObjectMapper().readValue(secret,
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw new UsageException("Cannot use secret " + id + ": it starts with { but is not a JSON object");
    }
    if (!(fields.get("password") instanceof String password)) {
      throw new UsageException("Cannot use secret " + id + ": its JSON has no \"password\" text field");
    }
    Map<String, String> result = new java.util.HashMap<>();
    result.put("password", password);
    if (fields.get("username") instanceof String username) {
      result.put("username", username);
    }
    return result;
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /**
   * Connector/J's handling of MySQL's zero dates ({@code 0000-00-00}, which legacy rows of a MySQL 5 schema
   * hold): read as null, where its default fails the whole read with "Zero date value prohibited" at the
   * first such row, and every rerun with it.
   */
  static final String ZERO_DATES = "zeroDateTimeBehavior";

  /**
   * Connector/J reports {@code TINYINT(1)} (what MySQL's {@code BOOLEAN} is) as a bit, which Spark reads as a
   * boolean: a 7 in such a column, where an application keeps a small number, would land as {@code true}.
   * Read as its number instead (0 and 1 for a boolean), so no value changes on the way.
   */
  static final String TINYINT_AS_BIT = "tinyInt1isBit";

  /**
   * The zone in which Connector/J turns a DATETIME's wall-clock time into the instant Spark holds: UTC, the
   * zone of the lake's timestamps (the jobs' session zone), so {@code 2025-01-01 23:30:00} lands as that time
   * and on that day. Its default is the JVM's zone: UTC on Glue, but on a laptop in New York every value
   * landed five hours later, and near midnight on the next day. {@code serverTimezone} is its older name.
   * Written as an offset, which MySQL takes without its time zone tables.
   */
  static final String TIME_ZONE = "connectionTimeZone";

  /**
   * Sets the session's {@code time_zone} to {@link #TIME_ZONE}, so that MySQL sends a TIMESTAMP column (an
   * instant, which it shows in the session's zone) in UTC too. Without it, a server whose zone is not UTC
   * (a self-managed MySQL at +05:00) sent {@code 15:00} for the instant 10:00Z, and it landed as 15:00Z.
   */
  static final String TIME_ZONE_TO_SESSION = "forceConnectionTimeZoneToSession";

  /** Connector/J properties the jobs set, each unless the URL sets its own: every value read as stored. */
  private static final Map<String, String> READ_AS_STORED = Map.of(ZERO_DATES, "CONVERT_TO_NULL", TINYINT_AS_BIT,
      "false", TIME_ZONE, "+00:00", TIME_ZONE_TO_SESSION, "true");

  /**
   * {@link #READ_AS_STORED}, less what the URL sets. A URL that names its own zone keeps Connector/J's handling
   * of zones whole: the session's zone is then not forced either.
   */
  Map<String, String> defaults() {
    Map<String, String> defaults = new java.util.TreeMap<>(READ_AS_STORED);
    boolean ownZone = url.contains(TIME_ZONE + "=") || url.contains("serverTimezone=");
    defaults.keySet().removeIf(name -> url.contains(name + "=")
        || (ownZone && (name.equals(TIME_ZONE) || name.equals(TIME_ZONE_TO_SESSION))));
    return defaults;
  }

  /** A plain JDBC connection, for the small bound queries run on the driver. */
  public Connection open() throws SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    defaults().forEach(properties::setProperty);
    return DriverManager.getConnection(url, properties);
  }

  /**
   * Spark's JDBC reader of {@code query} (a SELECT, read as a derived table) over this connection,
   * streaming {@code fetchSize} rows per round trip (Connector/J's cursor fetch) instead of buffering the
   * whole result in the executor.
   */
  public DataFrameReader reader(SparkSession spark, String query, int fetchSize) {
    DataFrameReader reader = spark.read().format("jdbc")
        .option("url", url)
        .option("driver", com.mysql.cj.jdbc.Driver.class.getName())
        .option("user", user)
        .option("password", password)
        .option("dbtable", "(" + query + ") AS batch")
        .option("fetchsize", String.valueOf(fetchSize))
        .option("useCursorFetch", "true");
    return reader.options(defaults());
  }

  /** The URL with any password parameter replaced by ***: safe for logs, manifests and errors. */
  public String maskedUrl() {
    return mask(url);
  }

  static String mask(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/:@]+):([^@/]*)@", "//$1:***@");
  }

  @Override
  public String toString() {
    return "StgCoreConnection[url=" + maskedUrl() + ", user=" + user + ", password=***]";
  }
}

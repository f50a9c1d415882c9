package io.shoplake.common.testing;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.spark.SparkSessions;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM: local[2], few shuffle partitions, no UI, UTC. Created on
 * first use and stopped when the JVM exits, so every test class shares its start-up cost. With
 * {@code -Dshoplake.test.hive=true} it has Hive support on an embedded metastore (the catalog tests).
 *
 * <p>Adaptive execution is off, as conf/local.conf runs the jobs (the README's command): with it on, every
 * stage a plan finishes re-plans it and posts the whole plan's description, nested caches included, which
 * took a test of four clickstream runs from 33 s to 55 s. It is set on the session, not in the launch
 * configuration: a job run takes its environment's {@code shoplake.spark.sql-settings} (conf/local.conf's
 * {@code false}, or a test's own configuration file) unless the launcher set the key, and a test that uses
 * Spark before any job sees the same setting as one after. Runs with it on, as Glue runs: the pipeline run
 * the reference lake comes from (jobs module, {@code SampleLakeReference}), and every job's main in GlueMainsIT.
 *
 * <p>Its static settings are those a job's new session gets from conf/ ({@code shoplake.spark.cache-format}, rows
 * by default, and {@code shoplake.spark.launch-settings}; {@code SparkSessions.newSessionSettings}): they are fixed
 * when a session is created, so the tests' session takes them here, not from a job's configuration.
 */
public final class SharedSpark {
  /** Adaptive query execution's setting. */
  public static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  private static SparkSession session;

  private SharedSpark() {}

  /** A test's body that may throw, for {@link #withSettings}. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} with {@code settings} set on the shared session, then gives each key back the value it
   * had (or unsets it when it had none), whether the body passed or failed. Why: the session is shared by every
   * test class of the JVM, so a setting left behind changes the plans of the tests that follow.
   */
  public static void withSettings(Map<String, String> settings, Body body) throws Exception {
    RuntimeConfig conf = get().conf();
    Map<String, String> before = new HashMap<>();
    settings.keySet().forEach(key -> before.put(key, conf.contains(key) ? conf.get(key) : null));
    try {
      settings.forEach(conf::set);
      body.run();
    } finally {
      before.forEach((key, value) -> {
        if (value == null) {
          conf.unset(key);
        } else {
          conf.set(key, value);
        }
      });
    }
  }

  public static synchronized SparkSession get() {
    if (session == null) {
      SparkSession.Builder builder = SparkSessions.withForklessLocalFiles(SparkSession.builder())
          .master("local[2]")
          .appName("shoplake-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1");
      // The cache format and launch settings a job's new session gets from conf/ (static: fixed here).
      SparkSessions.newSessionSettings(ConfigLoader.load(JobArguments.parse("--env", "local")), new SparkConf(false))
          .forEach(builder::config);
      if (Boolean.getBoolean("shoplake.test.hive")) {
        // A Hive-compatible catalog, as Glue's Data Catalog is: an embedded Derby metastore in the build folder.
        java.io.File home;
        try {
          // A metastore of this JVM's own: tables of an earlier run point at lakes that are gone.
          java.io.File base = new java.io.File(System.getProperty("shoplake.test.hive.dir", "target/hive"));
          base.mkdirs();
          home = java.nio.file.Files.createTempDirectory(base.toPath(), "metastore").toFile();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        builder = builder.enableHiveSupport()
            .config("spark.sql.warehouse.dir", new java.io.File(home, "warehouse").getAbsolutePath())
            .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                "jdbc:derby:;databaseName=" + new java.io.File(home, "metastore_db").getAbsolutePath() + ";create=true");
      }
      session = builder.getOrCreate();
      session.conf().set(ADAPTIVE, "false");
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}

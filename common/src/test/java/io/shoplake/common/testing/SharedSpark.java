package io.shoplake.common.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM: local[2], few shuffle partitions, no UI, UTC. Created on
 * first use and stopped when the JVM exits, so every test class shares its start-up cost.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("shoplake-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.adaptive.enabled", "true")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}

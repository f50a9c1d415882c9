package io.shoplake.common.catalog;

import io.shoplake.common.job.ErrorMessages;
import io.shoplake.common.lake.LakePaths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Keeps the session's Hive-compatible catalog (the Glue Data Catalog on Glue with
 * {@code --enable-glue-datacatalog}; Spark's own Hive metastore locally) in step with the tables a run
 * wrote: creates the database and the table from its declaration, recreates a table whose columns no
 * longer match it or that points at another folder (external: only metadata is dropped), and syncs its
 * partitions with the folders in the lake. Without such a catalog it does nothing.
 *
 * <p>Cost: a few catalog calls per table, and for a partitioned table one listing of its partition
 * folders ({@code MSCK REPAIR TABLE ... SYNC PARTITIONS}, listed in parallel by Spark), which also drops
 * partitions whose folder is gone.
 */
public final class CatalogRegistration {
  private CatalogRegistration() {}

  /** True when the session has a Hive-compatible catalog to register tables in. */
  public static boolean available(SparkSession spark) {
    return "hive".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"));
  }

  /**
   * Registers every declared table (and every one of {@code found}, declared by data a job read) whose
   * folder is one of {@code outputLocations}; returns one line per table
   * ({@code processed_dev.transactions: created, 4 partitions}). Nothing without a catalog.
   */
  public static List<String> register(SparkSession spark, String env, LakePaths paths,
      Collection<String> outputLocations, List<LakeTable> found) {
    List<String> done = new ArrayList<>();
    if (!available(spark)) {
      return done;
    }
    List<String> outputs = outputLocations.stream().map(LakePaths::withoutTrailingSlash).toList();
    List<LakeTable> tables = new ArrayList<>(LakeTables.all());
    tables.addAll(found);
    for (LakeTable table : tables) {
      String location = LakePaths.withoutTrailingSlash(table.location(paths));
      if (outputs.contains(location)) {
        try {
          done.add(register(spark, table, table.database(env), location));
        } catch (Exception e) {
          // Exception: Spark's AnalysisException is checked in Java's eyes and thrown undeclared.
          throw new IllegalStateException("Cannot register " + table.database(env) + "." + table.name()
              + " in the session's catalog: " + ErrorMessages.oneLine(e), e);
        }
      }
    }
    return done;
  }

  /** Registers {@code table}, wherever it was written; the line that says what was done. */
  public static String register(SparkSession spark, LakeTable table, String database, String location) {
    String name = "`" + database + "`.`" + table.name() + "`";
    spark.sql(TableDdl.createDatabase(database));
    String action = "unchanged";
    if (!spark.catalog().tableExists(database, table.name())) {
      action = "created";
    } else {
      Optional<String> stale = staleBecause(spark, table, database, location);
      if (stale.isPresent()) {
        spark.sql("DROP TABLE " + name);
        action = "recreated (" + stale.get() + ")";
      }
    }
    if (!action.equals("unchanged")) {
      spark.sql(TableDdl.createTable(table, database, location));
    }
    if (!table.partitioned()) {
      return database + "." + table.name() + ": " + action;
    }
    spark.sql("MSCK REPAIR TABLE " + name + " SYNC PARTITIONS");
    long partitions = spark.sql("SHOW PARTITIONS " + name).count();
    return database + "." + table.name() + ": " + action + ", " + partitions + " partitions";
  }

  /** Why the catalog's table no longer describes {@code table} at {@code location}, if it does not. */
  private static Optional<String> staleBecause(SparkSession spark, LakeTable table, String database,
      String location) {
    if (!sameColumns(spark.table(database + "." + table.name()).schema(), table.schema())) {
      return Optional.of("columns changed");
    }
    // Another lake root wrote it last (a moved lake, a test lake): point it at this one.
    String name = "`" + database + "`.`" + table.name() + "`";
    return sameFolder(catalogLocation(spark, name), location) ? Optional.empty() : Optional.of("location changed");
  }

  private static boolean sameColumns(StructType catalog, StructType declared) {
    if (catalog.length() != declared.length()) {
      return false;
    }
    for (int i = 0; i < declared.length(); i++) {
      StructField a = catalog.fields()[i];
      StructField b = declared.fields()[i];
      if (!a.name().equalsIgnoreCase(b.name()) || !a.dataType().catalogString().equals(b.dataType().catalogString())) {
        return false;
      }
    }
    return true;
  }

  private static String catalogLocation(SparkSession spark, String name) {
    return spark.sql("DESCRIBE TABLE EXTENDED " + name).where("col_name = 'Location'").first().getString(1);
  }

  private static boolean sameFolder(String a, String b) {
    return new Path(LakePaths.withoutTrailingSlash(a)).toUri().normalize()
        .equals(new Path(LakePaths.withoutTrailingSlash(b)).toUri().normalize());
  }
}

package io.shoplake.common.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * The rows of a persisted Dataset as a plan that starts at its cache, instead of one that repeats
 * everything the cache was built from.
 *
 * <p>Why: Spark analyses the whole logical plan of every Dataset a job derives (each {@code filter},
 * {@code withColumn}, {@code union}, {@code join}), and the analyser's {@code DeduplicateRelations} walks
 * all of it, more than once per node when the plan holds the same relation several times (a self-join or
 * a union of two filters of the same rows, as deduplication and sessionization build). Spark only swaps
 * the cache in when it optimises a plan; until then a Dataset over a cache carries the full lineage of
 * the scan, the cleaning, the rules and the typing, once for each time it was combined with itself. On
 * the sample pipeline clickstream spent 2.2 s of its 12.6 s in that one rule (docs/BENCHMARKS.md). A plan
 * that starts at the cache is analysed in microseconds, and executes as before: the optimiser would have
 * put the same in-memory scan there.
 *
 * <p>Cost: none at call time (no action; the cache is still built by the first action that reads it).
 * Relies on Spark's {@code CacheManager.useCachedData}, what Spark itself calls when it optimises a
 * plan; {@code CachedPlansTest} fails if an upgrade changes what it returns.
 */
public final class CachedPlans {
  private CachedPlans() {}

  /**
   * {@code persisted}'s rows, read from its cache (its plan with the cached data swapped in), with the
   * same columns. Unpersist through {@code persisted}, not through the result; a Dataset that is not
   * persisted comes back as it is.
   */
  public static Dataset<Row> startingAtCache(Dataset<Row> persisted) {
    LogicalPlan analyzed = persisted.queryExecution().analyzed();
    LogicalPlan cached = persisted.sparkSession().sharedState().cacheManager().useCachedData(analyzed);
    if (cached == analyzed) {
      return persisted;
    }
    return new Dataset<>(persisted.sparkSession(), cached, Encoders.row(persisted.schema()));
  }
}

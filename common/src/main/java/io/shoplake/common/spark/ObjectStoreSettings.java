package io.shoplake.common.spark;

import io.shoplake.common.config.LakeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Every Hadoop setting the jobs make for the lake's file system, in one place: how {@code s3://} and
 * {@code s3a://} reach S3 (or an S3-compatible server) outside Glue, and which output committer
 * writes the datasets. Applied to the session's Hadoop configuration before a job touches the lake;
 * Spark copies that configuration into every task, so executors in other JVMs (a standalone cluster,
 * Glue workers) use the same settings.
 *
 * <p><b>Where the S3 settings come from.</b> The endpoint is {@code shoplake.aws.s3-endpoint}, else
 * {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (what the AWS CLI honours), so the
 * variables that point the CLI at a local server point the jobs at it too; an endpoint means
 * path-style requests unless {@code shoplake.aws.s3-path-style-access} says otherwise. The region is
 * {@code shoplake.aws.region}, else {@code AWS_REGION}. Credentials: {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} when the driver has them, copied into
 * the configuration because executors started by a cluster's workers do not inherit the driver's
 * environment; without them, s3a's own chain (the instance's or the Glue job's role). A setting made
 * explicitly ({@code --conf spark.hadoop.fs.s3a.*}) is never overridden. Nothing here is logged: the
 * Hadoop configuration is not printed by Spark, the manifest or our logs, and
 * {@link Applied#describe} names where the credentials came from, never their value.
 *
 * <p><b>Committer.</b> The datasets are written with dynamic partition overwrite, which only the
 * classic FileOutputCommitter supports (s3a's magic and staging committers refuse it), with its
 * algorithm 1: task output becomes visible at job commit only, never task by task. On S3 its renames
 * are copies and deletes, not atomic: docs/OPERATIONS.md says what a reader sees while a job commits
 * and after a kill.
 *
 * <p>Glue 5 configures {@code s3://} itself: the scheme is mapped to S3A only when nothing maps it.
 * Cost: none (configuration only; no request is made here).
 */
public final class ObjectStoreSettings {
  public static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";
  /** The source Hadoop records for a setting made here: a later run may replace it, a user's setting it keeps. */
  private static final String SOURCE = ObjectStoreSettings.class.getName();

  private ObjectStoreSettings() {}

  /** What {@link #apply} set, for the run's log: names of settings and sources, never a secret's value. */
  public record Applied(List<String> settings) {
    public String describe() {
      return settings.isEmpty() ? "no object-store settings made" : String.join(", ", settings);
    }
  }

  public static Applied apply(Configuration hadoop, LakeConfig.Aws aws, Map<String, String> env) {
    List<String> made = new ArrayList<>();
    if (hadoop.get("fs.s3.impl") == null || ours(hadoop, "fs.s3.impl")) {
      set(hadoop, "fs.s3.impl", S3A);
      set(hadoop, "fs.AbstractFileSystem.s3.impl", "org.apache.hadoop.fs.s3a.S3A");
      made.add("s3:// through S3A");
    }
    Optional<String> endpoint = firstOf(aws.s3Endpoint(), env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"));
    if (setUnlessExplicit(hadoop, "fs.s3a.endpoint", endpoint.orElse(null))) {
      endpoint.ifPresent(e -> made.add("endpoint " + e));
    }
    Optional<String> pathStyle = switch (aws.s3PathStyleAccess()) {
      case "true" -> Optional.of("true");
      case "false" -> Optional.of("false");
      default -> endpoint.map(e -> "true");
    };
    if (setUnlessExplicit(hadoop, "fs.s3a.path.style.access", pathStyle.orElse(null))) {
      pathStyle.ifPresent(p -> made.add("path-style access " + (p.equals("true") ? "on" : "off")));
    }
    Optional<String> region = firstOf(aws.region(), env.get("AWS_REGION"));
    if (setUnlessExplicit(hadoop, "fs.s3a.endpoint.region", region.orElse(null))) {
      region.ifPresent(r -> made.add("region " + r));
    }
    String key = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    boolean fromEnv = present(key) && present(secret);
    String token = fromEnv && present(env.get("AWS_SESSION_TOKEN")) ? env.get("AWS_SESSION_TOKEN") : null;
    boolean keyIsOurs = setUnlessExplicit(hadoop, "fs.s3a.access.key", fromEnv ? key : null);
    if (keyIsOurs || !fromEnv) { // never pair a user's key with a secret from the environment
      setUnlessExplicit(hadoop, "fs.s3a.secret.key", fromEnv ? secret : null);
      setUnlessExplicit(hadoop, "fs.s3a.session.token", token);
    }
    if (keyIsOurs) {
      made.add("credentials from AWS_ACCESS_KEY_ID" + (token != null ? " with AWS_SESSION_TOKEN" : ""));
    }
    // Dynamic partition overwrite needs the classic committer; algorithm 1 publishes at job commit only.
    set(hadoop, "fs.s3a.committer.name", "file");
    set(hadoop, "mapreduce.fileoutputcommitter.algorithm.version", "1");
    // The _SUCCESS a commit leaves in .spark-staging-<job>/ tells a rerun that a killed run was moving
    // partitions into place, which it then finishes (PartitionedParquet.removeStaleStaging).
    set(hadoop, "mapreduce.fileoutputcommitter.marksuccessfuljobs", "true");
    return new Applied(made);
  }

  /**
   * Sets {@code name} to {@code value} (or removes the value this class set before, when null) unless a
   * user set it: a value from Hadoop's *-default.xml or from this class is ours to replace.
   *
   * @return whether the setting is now this class's
   */
  private static boolean setUnlessExplicit(Configuration hadoop, String name, String value) {
    String current = hadoop.get(name);
    if (current != null && !ours(hadoop, name) && !fromDefaults(hadoop, name)) {
      return false;
    }
    if (value == null) {
      if (current != null && ours(hadoop, name)) {
        hadoop.unset(name);
      }
      return false;
    }
    set(hadoop, name, value);
    return true;
  }

  private static void set(Configuration hadoop, String name, String value) {
    hadoop.set(name, value, SOURCE);
  }

  private static boolean ours(Configuration hadoop, String name) {
    String[] sources = hadoop.getPropertySources(name);
    return sources != null && sources.length > 0 && sources[sources.length - 1].equals(SOURCE);
  }

  /**
   * Hadoop's *-default.xml, or Spark's own defaulting: Spark sets {@code fs.s3a.endpoint} to
   * s3.amazonaws.com when no region is configured, "Set by Spark to default values".
   */
  private static boolean fromDefaults(Configuration hadoop, String name) {
    String[] sources = hadoop.getPropertySources(name);
    if (sources == null || sources.length == 0) {
      return false;
    }
    String source = sources[sources.length - 1];
    return source.endsWith("-default.xml") || source.startsWith("Set by Spark to default");
  }

  private static Optional<String> firstOf(String... values) {
    for (String value : values) {
      if (present(value)) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}

package io.shoplake.common.testing;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.JobRunner;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.pii.AwsSecretsManagerReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs jobs (or the local pipeline) on a {@link TestLake} the way a launcher does, in the shared
 * session, with a test PII key and captured stdout/stderr.
 */
public final class JobHarness {
  public static final Map<String, String> ENV = Map.of("ETL_PII_HASH_KEY", "test-key");

  private final String root;
  private final Map<String, String> env;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private boolean secretsManager;
  private Runnable beforeCommit = () -> { };

  public JobHarness(TestLake lake) {
    this(lake, Map.of());
  }

  /** @param extraEnv environment variables besides the PII key (stg_core connection, ...) */
  public JobHarness(TestLake lake, Map<String, String> extraEnv) {
    this(lake.uri(), extraEnv);
  }

  /** On the lake at {@code root}, any URI a job accepts (an {@code s3a://} one for the object-store tests). */
  public JobHarness(String root, Map<String, String> extraEnv) {
    this.root = root;
    java.util.Map<String, String> all = new java.util.HashMap<>(ENV);
    all.putAll(extraEnv);
    this.env = Map.copyOf(all);
    SharedSpark.get();
  }

  /**
   * Reads secrets with the real Secrets Manager client at {@code shoplake.aws.secrets-manager-endpoint}
   * (a {@link SecretsManagerStandIn}); by default a test that reads a secret fails.
   */
  public JobHarness usingSecretsManager() {
    secretsManager = true;
    return this;
  }

  /** Runs {@code hook} in every run after the outputs and checks and before the state commit. */
  public JobHarness beforeCommit(Runnable hook) {
    beforeCommit = hook;
    return this;
  }

  private JobRunner runner() {
    out.reset();
    err.reset();
    return new JobRunner(env, config -> secretsManager ? new AwsSecretsManagerReader(config.aws()) : id -> {
      throw new AssertionError("no secrets in tests");
    }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .beforeCommit(beforeCommit);
  }

  private String[] withLake(String... args) {
    List<String> all = new ArrayList<>(List.of("--lake-root", root));
    all.addAll(List.of(args));
    return all.toArray(new String[0]);
  }

  public JobOutcome run(LakeJob job, String... args) {
    return runner().run(job, withLake(args));
  }

  /**
   * What a runner of something bigger than a job (the pipeline, in the jobs module) needs: a runner as
   * {@link #run} uses (output captured, {@link #beforeCommit} hooked), the streams this harness reads, and
   * the arguments with this lake.
   */
  public Runner runner(String... args) {
    JobRunner runner = runner();
    return new Runner(runner, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), withLake(args));
  }

  /** See {@link #runner(String...)}. */
  public record Runner(JobRunner runner, PrintStream out, PrintStream err, String[] args) {}

  public String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  public String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A lake dataset (zone/name) as read by Spark, e.g. {@code curated/sales}. */
  public Dataset<Row> read(String zoneAndName) {
    return SharedSpark.get().read().parquet(root.replaceAll("/+$", "") + "/" + zoneAndName);
  }
}

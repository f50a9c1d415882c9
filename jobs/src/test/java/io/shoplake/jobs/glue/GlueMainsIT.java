package io.shoplake.jobs.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.testing.LocalCluster;
import io.shoplake.common.testing.LocalS3;
import io.shoplake.common.testing.StgCoreDatabase;
import io.shoplake.jobs.deploy.GlueJobRequests;
import io.shoplake.jobs.pipeline.LocalPipeline;
import io.shoplake.jobs.pipeline.PipelineStep;
import io.shoplake.jobs.pipeline.StepGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Glue job as Glue starts it: its {@code --class} from the generated request, found in the shaded
 * jar, run with {@code java -cp <shaded jar>:<Spark's jars, hadoop-aws and its SDK>} (nothing of Maven's
 * test classpath), with the job's default arguments plus those Glue injects (--JOB_NAME, --JOB_ID,
 * --JOB_RUN_ID, --TempDir, --job-bookmark-option, value-less --enable-* flags), on the sample data in an
 * s3a lake on a local S3 server. Each main exits 0 with the row counts of the sample pipeline; they run
 * stage by stage, the branches of a stage side by side, as the state machine runs them, and
 * jdbc-extract copies the embedded stg_core beside the export.
 */
class GlueMainsIT {
  private static final String ENV = "dev";
  private static Path jar;
  private static String classpath;
  private static LocalS3 s3;
  private static String lakeRoot;
  private static Map<String, Map<String, String>> defaultsByJob;

  @BeforeAll
  static void lakeOnS3() throws Exception {
    jar = Path.of(System.getProperty("shoplake.jobs.jar"));
    Path glueJars = Path.of(System.getProperty("shoplake.glue.classpath"));
    assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar);
    assertTrue(Files.isDirectory(glueJars), "no Glue classpath at " + glueJars);
    classpath = jar + ":" + glueJars + "/*";
    s3 = LocalS3.shared();
    lakeRoot = s3.createBucket("glue-mains") + "/lake";
    defaultsByJob = new LinkedHashMap<>();
    for (GlueJobRequests.Request request : GlueJobRequests.build(ENV)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> defaults = (Map<String, Object>) request.create().get("DefaultArguments");
      Map<String, String> asText = new LinkedHashMap<>();
      defaults.forEach((k, v) -> asText.put(k, String.valueOf(v)));
      defaultsByJob.put(request.job(), asText);
    }
    Run seed = java(List.of("io.shoplake.jobs.tools.SeedRawZone", Path.of("..", "sample-data", "raw").toString(),
        "--lake-root", lakeRoot), Map.of());
    assertEquals(0, seed.exitCode(), seed.output());
  }

  @Test
  void everyMainClassIsInTheShadedJar() throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Map.Entry<String, Map<String, String>> job : defaultsByJob.entrySet()) {
        String entry = job.getValue().get("--class").replace('.', '/') + ".class";
        assertNotNull(zip.getEntry(entry), job.getKey() + ": " + entry + " is not in " + jar);
      }
    }
  }

  @Test
  void everyMainRunsAsGlueStartsItOnAnS3aLake() throws Exception {
    Map<String, String> expected = Map.of(
        "validate", "rows read 15, written 15, rejected 0",
        "transactions", "rows read 300, written 290, rejected 10",
        "products", "rows read 42, written 39, rejected 1",
        "reviews", "rows read 33, written 25, rejected 8",
        "clickstream", "rows read 1696, written 1651, rejected 45",
        "master-merge", "rows read 290, written 290, rejected 0",
        "export sales", "rows read 290, written 290, rejected 0");
    StepGraph graph = StepGraph.of(LocalPipeline.steps(ConfigLoader.load(JobArguments.parse("--env", ENV))));
    Map<String, PipelineStep> byName = new LinkedHashMap<>();
    graph.steps().forEach(s -> byName.put(s.name(), s));
    StgCoreDatabase db = StgCoreDatabase.get().resetToSample();
    Map<String, String> stgCoreEnv = Map.of("STG_CORE_JDBC_URL", db.jdbcUrl(), "STG_CORE_USER", db.user(),
        "STG_CORE_PASSWORD", db.password());
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newCachedThreadPool();
    // Stage by stage, the branches of a stage side by side, as the state machine runs them.
    for (List<List<String>> stage : graph.stages()) {
      List<List<String>> branches = new ArrayList<>(stage.stream()
          .map(b -> b.stream().filter(n -> !n.startsWith("export ") || n.equals("export sales")).toList())
          .filter(b -> !b.isEmpty()).toList());
      if (stage.stream().anyMatch(b -> b.contains("export sales"))) {
        branches.add(List.of("jdbc-extract")); // independent of the lake's other jobs: beside the exports
      }
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (List<String> branch : branches) {
        running.add(CompletableFuture.runAsync(() -> {
          for (String name : branch) {
            PipelineStep step = byName.get(name);
            String job = step == null ? name : step.job().name();
            Run run = glueRun(job, step == null ? List.of() : step.arguments(),
                step == null ? stgCoreEnv : Map.of());
            assertEquals(0, run.exitCode(), name + ":\n" + run.output());
            String summary = run.output().lines().filter(l -> l.startsWith(job + " run ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " printed no summary:\n" + run.output()));
            assertTrue(summary.contains(" succeeded in "), summary);
            if (expected.containsKey(name)) {
              assertTrue(summary.endsWith(expected.get(name)), name + ": " + summary);
            }
            assertFalse(run.output().contains(s3.secretKey()), name + " printed the S3 secret key");
            assertFalse(run.output().contains(db.password()), name + " printed the stg_core password");
            ran.add(name);
          }
        }, threads));
      }
      CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).join();
    }
    threads.shutdown();
    assertEquals(new TreeSet<>(List.of("validate", "transactions", "products", "reviews", "clickstream", "quality",
        "master-merge", "catalog", "export sales", "jdbc-extract")), new TreeSet<>(ran));
  }

  /** The job's Glue run: default arguments, Glue's own, then the step's and this lake's. */
  private static Run glueRun(String job, List<String> stepArguments, Map<String, String> env) {
    Map<String, String> defaults = defaultsByJob.get(job);
    assertNotNull(defaults, "no Glue job for " + job);
    List<String> command = new ArrayList<>(List.of(defaults.get("--class")));
    defaults.forEach((k, v) -> command.addAll(List.of(k, v)));
    String glueName = ENV + "-shoplake-" + job;
    command.addAll(List.of("--JOB_NAME", glueName, "--JOB_ID", "j_0123456789abcdef", "--JOB_RUN_ID",
        "jr_" + Long.toHexString(System.nanoTime()), "--TempDir", "s3://aws-glue-assets-example/temporary/",
        "--job-bookmark-option", "job-bookmark-disable", "--enable-job-insights", "--enable-auto-scaling", "true",
        "--enable-spark-ui"));
    command.addAll(stepArguments);
    command.addAll(List.of("--lake-root", lakeRoot));
    try {
      return java(command, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Run java(List<String> mainAndArgs, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(LocalCluster.moduleOpens());
    // What Glue's launcher sets as Spark configuration; here one local JVM, small.
    command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=4",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1", "-cp", classpath));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("STG_CORE_")
        || k.startsWith("SPARK_"));
    builder.environment().putAll(s3.env());
    // Glue reads the PII key from Secrets Manager (conf/dev.conf); here the variable that takes precedence.
    builder.environment().put("ETL_PII_HASH_KEY", "glue-mains-it-key-0123456789abcdef");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().putAll(extraEnv);
    Path log = Files.createTempFile("glue-main", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(mainAndArgs.get(0) + " did not end in 5 minutes:\n" + Files.readString(log));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Run(process.exitValue(), output);
  }

  private record Run(int exitCode, String output) {}
}

package io.shoplake.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.LakeDigest;
import io.shoplake.common.testing.LocalCluster;
import io.shoplake.common.testing.LocalS3;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.jobs.testing.PipelineChildRun;
import io.shoplake.jobs.testing.PipelineHarness;
import io.shoplake.jobs.testing.SampleLakeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the sample raw zone with the lake in an S3 bucket (s3a, against the tests' S3
 * server on 127.0.0.1) and the jobs on a Spark standalone cluster (a master and two workers, executors
 * in JVMs of their own that get the project's classes as an application jar from the driver): it must
 * give exactly the lake of the same pipeline run in one JVM on the local disk (SampleLakeReference),
 * every processed, curated and quarantine table order-free, the exports, the file quarantine, the
 * bookmarks and the registry (LakeDigest). Proof that nothing depends on the driver's disk, a closure
 * that does not serialize, or one JVM. Then a second run on S3 (driver in this JVM, local executors)
 * reads no row and rewrites no object.
 *
 * <p>One cluster run stands for both "the pipeline on S3" and "the pipeline on a cluster": a difference
 * from the reference is then either's fault, but each run costs two minutes of CI, and S3LakeTest
 * covers the object-store IO of single jobs on its own. The packaged (shaded) jar on a cluster is run
 * by hand with scripts/local-cluster.sh and scripts/run-job.sh (README).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3AndClusterPipelineTest {
  @TempDir static Path dir;
  private static LocalS3 s3;
  private static Configuration hadoop;
  private static String root;
  private static int clusterExit;
  private static String clusterOutput;
  private static long executorsLaunched;
  private static final Path SAMPLE_RAW = Path.of("..", "sample-data", "raw");

  @BeforeAll
  static void clusterRunOnS3() throws Exception {
    s3 = LocalS3.shared();
    hadoop = SharedSpark.get().sparkContext().hadoopConfiguration();
    root = s3.createBucket("sample") + "/lake";
    s3.upload(SAMPLE_RAW, root + "/raw", hadoop);
    Path log = dir.resolve("cluster-driver.log");
    // Fail-fast s3a; no wait for a preferred executor (there is no data locality on S3).
    List<String> conf = List.of("spark.hadoop.fs.s3a.attempts.maximum=1", "spark.hadoop.fs.s3a.retry.limit=2",
        "spark.hadoop.fs.s3a.retry.interval=100ms", "spark.hadoop.fs.s3a.connection.establish.timeout=2000",
        "spark.locality.wait=0");
    // Two shuffle partitions for two one-core executors (local.conf's 8 is for a laptop's local[*]).
    Path settings = Files.writeString(dir.resolve("cluster.conf"), "shoplake.spark.shuffle-partitions = 2\n");
    long started = System.nanoTime();
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 2)) {
      clusterExit = cluster.submit(driverEnv(), conf, log, PipelineChildRun.class, "--env", "local", "--lake-root", root,
          "--config-file", settings.toString());
      clusterOutput = Files.readString(log);
      executorsLaunched = cluster.executorsLaunched(dir.resolve("cluster"));
    }
    System.out.printf("S3AndClusterPipelineTest: cluster run on S3 %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static Map<String, String> driverEnv() {
    Map<String, String> env = new HashMap<>(s3.env());
    env.putAll(JobHarness.ENV); // the same PII key as the reference run: the same e-mail hashes
    return env;
  }

  @Test
  @Order(1)
  void thePipelineOnAClusterWithTheLakeOnS3GivesTheLakeOfALocalRun() throws Exception {
    assertEquals(0, clusterExit, clusterOutput);
    assertTrue(clusterOutput.contains("pipeline succeeded"), clusterOutput);
    assertTrue(executorsLaunched >= 2, "executors ran in the workers' JVMs");
    assertTrue(!clusterOutput.contains(s3.secretKey()), "the driver's output holds no credential");
    Path copy = dir.resolve("s3-copy");
    s3.download(root, copy, hadoop);
    assertEquals(SampleLakeReference.get().digest(), LakeDigest.of(copy));
    assertEquals(List.of(), LakeDigest.visibleLeftovers(copy));
    assertEquals(List.of(), LakeDigest.staleStaging(copy));
    assertTrue(Files.isRegularFile(copy.resolve("_state/transactions/bookmark.json")));
    assertTrue(Files.notExists(copy.resolve("_state/transactions/_lock.json")), "every lock released");
  }

  @Test
  @Order(2)
  void aSecondRunOnS3ReadsNoRowAndRewritesNothing() throws IOException {
    Map<String, String> before = objects();
    JobHarness jobs = new JobHarness(root, driverEnv());
    assertEquals(0, PipelineHarness.run(jobs), jobs.stdout() + jobs.stderr());
    // The summary table: step, status, rows in, out, rejected, skipped, seconds. Quality reads the
    // datasets it checks on every run; every other step must find nothing new.
    java.util.regex.Pattern row = java.util.regex.Pattern.compile(
        "^(.+?)\\s+(succeeded|failed|not run)\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+\\s+[\\d.]+$");
    List<String> steps = new ArrayList<>();
    List<String> readSomething = new ArrayList<>();
    for (String line : jobs.stdout().lines().toList()) {
      java.util.regex.Matcher m = row.matcher(line);
      if (m.matches()) {
        steps.add(m.group(1));
        if (!m.group(1).equals("quality") && !m.group(3).equals("0")) {
          readSomething.add(line);
        }
      }
    }
    assertEquals(13, steps.size(), jobs.stdout()); // every step of the pipeline, the catalog step included
    assertEquals(List.of(), readSomething, jobs.stdout());
    assertEquals(before, objects(), "no dataset object was written again");
  }

  /** Every object under the data zones, with its size and modification time (a rewrite changes the time). */
  private static Map<String, String> objects() throws IOException {
    s3.configure(hadoop);
    Map<String, String> found = new TreeMap<>();
    for (String zone : List.of("processed", "curated", "quarantine", "exports")) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(root + "/" + zone);
      FileSystem fs = path.getFileSystem(hadoop);
      RemoteIterator<LocatedFileStatus> all = fs.listFiles(path, true);
      while (all.hasNext()) {
        LocatedFileStatus file = all.next();
        found.put(file.getPath().toString(), file.getLen() + " " + file.getModificationTime());
      }
    }
    return found;
  }
}

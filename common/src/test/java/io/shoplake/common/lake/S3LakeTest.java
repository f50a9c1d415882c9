package io.shoplake.common.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.bookmark.JobLock;
import io.shoplake.common.job.FailureKind;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.LocalS3;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.testing.TinyShop;
import io.shoplake.common.transactions.TransactionEtl;
import io.shoplake.common.validation.FileValidation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on a lake in an S3 bucket, through s3a, against the tests' S3 server on 127.0.0.1: the file checks
 * with their registry and file quarantine, a lock held by another run, the bookmark and the manifests, all
 * on the object store; and the three failures a user meets there (a bucket that does not exist, refused
 * credentials, an endpoint that does not answer), each one line on stderr with its exit code, and no
 * credential in any output or lake file. The whole pipeline on S3 runs in the jobs module's
 * S3AndClusterPipelineIT.
 */
class S3LakeTest {
  @TempDir static Path dir;
  private static LocalS3 s3;
  private static Configuration hadoop;
  private static final List<String> OUTPUT = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    s3 = LocalS3.shared();
    hadoop = SharedSpark.get().sparkContext().hadoopConfiguration();
  }

  /** A tiny shop's raw zone, plus one file the checks reject, uploaded to a new bucket; returns the lake root. */
  private static String lakeInNewBucket(String bucket) throws IOException {
    TestLake local = TinyShop.create(dir.resolve(bucket));
    local.writeRaw("transactions", "2025-01-02", "wrong-header.csv", "order,amount", List.of("1,2"));
    String root = s3.createBucket(bucket) + "/lake";
    s3.upload(local.root().resolve("raw"), root + "/raw", hadoop);
    return root;
  }

  private static JobHarness jobs(String root, Map<String, String> envChanges) {
    Map<String, String> env = new HashMap<>(s3.env());
    env.putAll(envChanges);
    return new JobHarness(root, env);
  }

  private static String oneLine(JobHarness jobs) {
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    List<String> lines = jobs.stderr().lines().toList();
    assertEquals(1, lines.size(), jobs.stderr());
    return lines.get(0);
  }

  @Test
  void fileChecksLockBookmarkAndManifestsWorkOnS3() throws IOException {
    String root = lakeInNewBucket("checks");
    JobHarness jobs = jobs(root, Map.of());

    JobOutcome validate = jobs.run(new FileValidation());
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    assertEquals(0, validate.exitCode(), jobs.stderr());
    assertTrue(exists(root + "/_state/validate/files.json"));
    List<String> quarantined = files(root + "/quarantine/_files");
    assertTrue(quarantined.stream().anyMatch(f -> f.endsWith("wrong-header.csv")), quarantined.toString());
    assertTrue(quarantined.stream().anyMatch(f -> f.endsWith("wrong-header.csv.reason.json")), quarantined.toString());

    // Another live run (on another host: only its lease can tell) holds the transaction job's lock.
    String lock = root + "/_state/transactions/" + JobLock.FILE;
    write(lock, "{\"run_id\":\"other-run\",\"host\":\"another-host\",\"pid\":1,\"acquired_at\":\"" + Instant.now()
        + "\",\"lease_seconds\":120,\"expires_at\":\"" + Instant.now().plusSeconds(120) + "\"}");
    JobOutcome refused = jobs.run(new TransactionEtl());
    String line = oneLine(jobs);
    assertEquals(JobOutcome.FAILED, refused.exitCode());
    assertTrue(line.contains("run other-run (another-host, process 1) holds " + lock), line);
    assertEquals(FailureKind.LOCKED.label(), refused.manifest().orElseThrow().getErrorKind());

    fs().delete(path(lock), false);
    JobOutcome run = jobs.run(new TransactionEtl());
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    assertEquals(0, run.exitCode(), jobs.stderr());
    assertEquals(3, run.manifest().orElseThrow().getRowsWritten(), jobs.stdout());
    assertFalse(exists(lock), "the lock is released");
    assertTrue(exists(root + "/_state/transactions/bookmark.json"));
    assertTrue(exists(run.manifestPath().orElseThrow()));
    assertTrue(run.manifestPath().orElseThrow().startsWith(root + "/_runs/transactions/"));
    assertEquals(3, jobs.read("processed/transactions").count());

    // The bookmark on S3 remembers the files: a rerun reads nothing.
    JobOutcome rerun = jobs.run(new TransactionEtl());
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    assertEquals(0, rerun.exitCode(), jobs.stderr());
    assertEquals(0, rerun.manifest().orElseThrow().getRowsRead());
    assertNoSecretIn(root);
  }

  /** Object keys with spaces, '+' and a compressed export: read, and their rows named after the keys. */
  @Test
  void keysWithSpacesPlusPatternCharactersAndGzippedFilesAreReadOnS3() throws IOException {
    TestLake local = TinyShop.create(dir.resolve("names"));
    String row = ",C1,P1,1,10.00,0,0,USD,card,completed,2025-01-02T10:00:00Z,a@example.com,US";
    local.writeRaw("transactions", "2025-01-02", "sales 2025 (1).csv", TestLake.TRANSACTIONS_HEADER,
        List.of("S1" + row));
    local.writeRaw("transactions", "2025-01-02", "export[1] {v2}*?.csv", TestLake.TRANSACTIONS_HEADER,
        List.of("S3" + row));
    java.nio.file.Path gz = local.root().resolve("raw/transactions/date=2025-01-02/a+b c.csv.gz");
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
      out.write((TestLake.TRANSACTIONS_HEADER + "\nS2" + row + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String root = s3.createBucket("names") + "/lake";
    s3.upload(local.root().resolve("raw"), root + "/raw", hadoop);
    JobHarness jobs = jobs(root, Map.of());

    JobOutcome run = jobs.run(new TransactionEtl());
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    assertEquals(0, run.exitCode(), jobs.stderr());
    assertEquals(List.of("raw/transactions/date=2025-01-02/a+b c.csv.gz",
            "raw/transactions/date=2025-01-02/export[1] {v2}*?.csv", "raw/transactions/date=2025-01-02/sales 2025 (1).csv"),
        jobs.read("processed/transactions").filter("transaction_id in ('S1', 'S2', 'S3')").orderBy("transaction_id")
            .select("source_file").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted()
            .toList());
  }

  /** {@code s3://}, the scheme Glue's lakes use, maps to S3A outside Glue: the same job, the same lake. */
  @Test
  void anS3SchemeLakeRootWorksAsS3a() throws IOException {
    String root = lakeInNewBucket("scheme").replace("s3a://", "s3://");
    JobHarness jobs = jobs(root, Map.of());
    JobOutcome validate = jobs.run(new FileValidation());
    OUTPUT.add(jobs.stdout() + jobs.stderr());
    assertEquals(0, validate.exitCode(), jobs.stderr());
    assertTrue(validate.manifestPath().orElseThrow().startsWith("s3://scheme/lake/_runs/validate/"),
        validate.manifestPath().toString());
    assertTrue(exists(root.replace("s3://", "s3a://") + "/_state/validate/files.json"), "the same objects as s3a");
  }

  @Test
  void aBucketThatDoesNotExistIsAUsageErrorInOneLine() {
    JobHarness jobs = jobs("s3a://no-such-bucket/lake", Map.of());
    JobOutcome outcome = jobs.run(new FileValidation());
    String line = oneLine(jobs);
    assertEquals(JobOutcome.USAGE, outcome.exitCode(), line);
    assertTrue(line.startsWith("ERROR validate: Cannot write run manifest s3a://no-such-bucket/lake/_runs/validate/"), line);
    assertTrue(line.endsWith("bucket 'no-such-bucket' does not exist (S3 answered 404 NoSuchBucket): check --lake-root,"
        + " or create the bucket first"), line);
  }

  @Test
  void refusedCredentialsAreAUsageErrorInOneLineAndNotRetried() {
    s3.createBucket("refused");
    JobHarness jobs = jobs("s3a://refused/lake", Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"));
    JobOutcome outcome = jobs.run(new FileValidation());
    String line = oneLine(jobs);
    assertEquals(JobOutcome.USAGE, outcome.exitCode(), line);
    assertTrue(line.contains("S3 refused the credentials for bucket 'refused' (403 SignatureDoesNotMatch)"), line);
    assertEquals(FailureKind.USAGE.label(), outcome.manifest().orElseThrow().getErrorKind());
    assertFalse(line.contains("not-the-secret"), line);
  }

  @Test
  void anEndpointThatDoesNotAnswerIsTransientAndFailsFast() throws IOException {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    JobHarness jobs = jobs("s3a://unreachable/lake", Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + closed));
    long started = System.nanoTime();
    JobOutcome outcome = jobs.run(new FileValidation());
    String line = oneLine(jobs);
    assertEquals(JobOutcome.FAILED, outcome.exitCode(), line);
    assertTrue(line.contains("the S3 endpoint 127.0.0.1:" + closed + " does not answer (connection refused)"), line);
    assertEquals(FailureKind.TRANSIENT.label(), outcome.manifest().orElseThrow().getErrorKind());
    assertTrue((System.nanoTime() - started) / 1e9 < 60, "fails fast with the tests' s3a settings");
  }

  /** No output of this class's runs, and no file of {@code root}, holds the server's secret key. */
  private static void assertNoSecretIn(String root) throws IOException {
    OUTPUT.forEach(text -> assertFalse(text.contains(s3.secretKey()), text));
    FileSystem fs = fs();
    RemoteIterator<LocatedFileStatus> all = fs.listFiles(path(root), true);
    while (all.hasNext()) {
      LocatedFileStatus file = all.next();
      try (InputStream in = fs.open(file.getPath())) {
        String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains(s3.secretKey()), file.getPath().toString());
      }
    }
  }

  private static org.apache.hadoop.fs.Path path(String uri) {
    return new org.apache.hadoop.fs.Path(uri);
  }

  /**
   * The s3a file system of this test's buckets, with the server's credentials: a job run with other
   * variables (wrong keys) changes the session's settings, so they are set again before each use.
   */
  private static FileSystem fs() throws IOException {
    return path("s3a://checks/").getFileSystem(s3.configure(hadoop));
  }

  private static boolean exists(String uri) throws IOException {
    return path(uri).getFileSystem(s3.configure(hadoop)).exists(path(uri));
  }

  private static void write(String uri, String text) throws IOException {
    try (var out = fs().create(path(uri), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> files(String uri) throws IOException {
    List<String> found = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> all = fs().listFiles(path(uri), true);
    while (all.hasNext()) {
      found.add(all.next().getPath().toString());
    }
    return found;
  }
}

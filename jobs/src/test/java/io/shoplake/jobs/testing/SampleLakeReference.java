package io.shoplake.jobs.testing;

import io.shoplake.common.testing.FileTrees;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.LakeDigest;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lake of one uninterrupted pipeline run on the committed sample raw zone, in the shared session,
 * made once per test JVM: the reference that the kill tests, the S3 and cluster test and the local
 * pipeline test compare with or start from. Each pipeline run costs half a minute of CI, and three test
 * classes need the same one. Nobody writes to it: a test that goes on running jobs takes a
 * {@link #copyTo copy} (a lake is relocatable: every path recorded in its state is relative to its root).
 *
 * <p>The reference run has adaptive query execution on, as Glue runs the jobs, while the runs compared with
 * it have it off, as conf/local.conf runs them (the killed and rerun pipelines, the cluster on S3, the
 * in-process pipeline tests): a table whose rows depended on the physical plan would differ there.
 */
public final class SampleLakeReference {
  private static SampleLakeReference made;

  private final TestLake lake;
  private final int exitCode;
  private final String stdout;
  private final Map<String, String> digest;

  private SampleLakeReference(TestLake lake, int exitCode, String stdout, Map<String, String> digest) {
    this.lake = lake;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.digest = digest;
  }

  public static synchronized SampleLakeReference get() {
    if (made == null) {
      try {
        Path dir = Files.createTempDirectory("sample-lake-reference");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        TestLake lake = new TestLake(dir.resolve("lake")).withSampleRaw();
        JobHarness jobs = new JobHarness(lake);
        Path adaptive = Files.writeString(dir.resolve("adaptive.conf"),
            "shoplake.spark.sql-settings { \"" + SharedSpark.ADAPTIVE + "\" = true }\n");
        int exit;
        String adaptiveInRun;
        try {
          exit = PipelineHarness.run(jobs, "--config-file", adaptive.toString());
        } finally {
          adaptiveInRun = SharedSpark.get().conf().get(SharedSpark.ADAPTIVE);
          SharedSpark.get().conf().set(SharedSpark.ADAPTIVE, "false"); // the pipeline set it on the shared session
        }
        if (exit != 0) {
          throw new AssertionError("the reference pipeline run failed:\n" + jobs.stdout() + jobs.stderr());
        }
        if (!"true".equals(adaptiveInRun)) {
          throw new AssertionError("the reference pipeline ran without adaptive execution");
        }
        made = new SampleLakeReference(lake, exit, jobs.stdout(), Map.copyOf(LakeDigest.of(lake.root())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return made;
  }

  /** The reference lake: read it, never run a job on it. */
  public Path root() {
    return lake.root();
  }

  public int exitCode() {
    return exitCode;
  }

  /** What the reference run printed (its summary table). */
  public String stdout() {
    return stdout;
  }

  /** {@link LakeDigest#of} the reference lake. */
  public Map<String, String> digest() {
    return digest;
  }

  /** A copy of the whole lake (raw zone, data, state, manifests) at {@code target}, file times kept. */
  public TestLake copyTo(Path target) {
    FileTrees.copy(root(), target, StandardCopyOption.COPY_ATTRIBUTES);
    return new TestLake(target);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: the OS cleans it
    }
  }
}

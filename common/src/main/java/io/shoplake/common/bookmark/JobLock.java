package io.shoplake.common.bookmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps two runs of the same job from working on the same state at once: {@code _state/<job>/_lock.json}
 * is created exclusively (create without overwrite) with the owner (run id, host, process) and an
 * expiry; a second run finds it and is refused with who holds it and until when. A lock left by a
 * killed run stops counting at its expiry and is then taken over, so a crash never blocks a job for
 * good. Released (deleted) when the run ends, whatever its outcome.
 *
 * <p>Exclusive creation is atomic on local and HDFS file systems. On S3 it is not (no conditional
 * create in Glue 5's Hadoop): there two runs started within the same second could both win; Glue's own
 * "max concurrent runs = 1" setting is the guard to keep there.
 */
public final class JobLock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String FILE = "_lock.json";

  private final Path path;
  private final Configuration hadoopConf;
  private final String runId;

  private JobLock(Path path, Configuration hadoopConf, String runId) {
    this.path = path;
    this.hadoopConf = hadoopConf;
    this.runId = runId;
  }

  /** Thrown when another live run holds the lock. */
  public static final class HeldException extends RuntimeException {
    public HeldException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of {@code job} in the state folder {@code stateDir}.
   *
   * @throws HeldException naming the holder when another run holds it and it has not expired
   */
  public static JobLock acquire(String job, String stateDir, String runId, Duration expiry, Configuration hadoopConf) {
    Path path = new Path(stateDir, FILE);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      for (int attempt = 0; attempt < 2; attempt++) {
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("run_id", runId);
        owner.put("host", InetAddress.getLocalHost().getHostName());
        owner.put("process", ManagementFactory.getRuntimeMXBean().getName());
        owner.put("acquired_at", Instant.now().toString());
        owner.put("expires_at", Instant.now().plus(expiry).toString());
        try {
          createExclusively(fs, path, JSON.writeValueAsBytes(owner));
          return new JobLock(path, hadoopConf, runId);
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
          Map<?, ?> holder = readHolder(fs, path);
          Object expires = holder.get("expires_at");
          if (expires != null && Instant.parse(expires.toString()).isBefore(Instant.now())) {
            fs.delete(path, false); // expired: its run is gone; take it over
            continue;
          }
          throw new HeldException("Cannot start " + job + ": run " + holder.get("run_id") + " (" + holder.get("host")
              + ", " + holder.get("process") + ") holds " + path + " since " + holder.get("acquired_at")
              + " until " + expires + "; wait for it to end, or delete the file if that run is dead");
        }
      }
      throw new HeldException("Cannot start " + job + ": another run took " + path + " at the same moment");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Hadoop's create-without-overwrite checks then creates; on a local disk the JDK's CREATE_NEW is one
   * atomic step (O_EXCL), so it is used there.
   */
  private static void createExclusively(FileSystem fs, Path path, byte[] content) throws IOException {
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Files.write(java.nio.file.Paths.get(fs.makeQualified(path).toUri()), content,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(content);
    }
  }

  private static Map<?, ?> readHolder(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return JSON.readValue(in, Map.class);
    } catch (java.io.FileNotFoundException e) {
      return Map.of("expires_at", Instant.EPOCH.toString()); // released meanwhile
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Map.of("run_id", "?", "expires_at", Instant.EPOCH.toString()); // half-written by a killed run
    }
  }

  /** Releases the lock if this run still holds it. */
  @Override
  public void close() {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      Map<?, ?> holder = fs.exists(path) ? readHolder(fs, path) : Map.of();
      if (runId.equals(holder.get("run_id"))) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release " + path + ": " + e.getMessage(), e);
    }
  }
}

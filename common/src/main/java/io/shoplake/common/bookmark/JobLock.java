package io.shoplake.common.bookmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps two runs of the same job from working on the same state at once: {@code _state/<job>/_lock.json}
 * is created exclusively (create without overwrite) and holds the owner (run id, host, process id and
 * start time) and a lease. The running job renews the lease every third of its length from a daemon
 * thread, so a live run, however long, keeps its lock, and a run that died (kill -9, a Glue timeout, a
 * lost driver) stops blocking its job when the lease runs out. A rerun on the same host does not even
 * wait: it sees that the holder's process is gone (or is another process that reused its id) and takes
 * the lock over at once. A second run while the holder lives is refused with who holds it and until
 * when. Released (deleted) when the run ends, whatever its outcome.
 *
 * <p>A takeover first renames the stale lock aside (atomic: of two reruns only one succeeds) and checks
 * that it moved the lock it judged, so two reruns after a crash still cannot both win. A run whose lease
 * was taken over while it stalled (a pause longer than the lease) finds out at {@link #confirmHeld()},
 * which the runner calls before committing any state.
 *
 * <p>Exclusive creation and rename are atomic on local and HDFS file systems. On S3 they are not (no
 * conditional create in Glue 5's Hadoop): there two runs started within the same second could both win;
 * Glue's own "max concurrent runs = 1" setting is the guard to keep there.
 */
public final class JobLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String FILE = "_lock.json";
  /** A lock file younger than this that does not parse is being written by its creator, not abandoned. */
  private static final Duration UNREADABLE_GRACE = Duration.ofSeconds(10);
  /** Locks this JVM holds (path -> run id): a lock naming this process but not here was left by an earlier run. */
  private static final Map<String, String> HELD_HERE = new ConcurrentHashMap<>();

  private final Path path;
  private final Configuration hadoopConf;
  private final String runId;
  private final Map<String, Object> owner;
  private final Duration lease;
  private final ScheduledExecutorService renewer;
  private volatile String lost;

  private JobLock(Path path, Configuration hadoopConf, String runId, Map<String, Object> owner, Duration lease) {
    this.path = path;
    this.hadoopConf = hadoopConf;
    this.runId = runId;
    this.owner = owner;
    this.lease = lease;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "lock-lease " + path);
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(1, lease.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** Thrown when another live run holds the lock. */
  public static final class HeldException extends RuntimeException {
    public HeldException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of {@code job} in the state folder {@code stateDir}, leased for {@code lease} and
   * renewed while this run lives.
   *
   * @throws HeldException naming the holder when another live run holds it
   */
  public static JobLock acquire(String job, String stateDir, String runId, Duration lease, Configuration hadoopConf) {
    Path path = new Path(stateDir, FILE);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      for (int attempt = 0; attempt < 3; attempt++) {
        Map<String, Object> owner = owner(runId, lease);
        try {
          createExclusively(fs, path, JSON.writeValueAsBytes(owner));
          HELD_HERE.put(path.toString(), runId);
          return new JobLock(path, hadoopConf, runId, owner, lease);
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
          Optional<Map<?, ?>> holder = readHolder(fs, path);
          if (holder.isEmpty()) {
            if (fs.exists(path) && fileAge(fs, path).compareTo(UNREADABLE_GRACE) < 0) {
              throw new HeldException("Cannot start " + job + ": another run is creating " + path + " right now");
            }
            takeOver(fs, path, null, runId); // released meanwhile, or half-written by a run killed long ago
            continue;
          }
          Optional<String> stale = whyStale(holder.get(), path);
          if (stale.isEmpty()) {
            throw new HeldException("Cannot start " + job + ": run " + holder.get().get("run_id") + " ("
                + holder.get().get("host") + ", process " + holder.get().get("pid") + ") holds " + path + " since "
                + holder.get().get("acquired_at") + ", its lease renewed until " + holder.get().get("expires_at")
                + "; wait for it to end (a dead run's lease runs out by then)");
          }
          LOG.warn("{}: taking over {} from run {}: {}", job, path, holder.get().get("run_id"), stale.get());
          takeOver(fs, path, holder.get(), runId);
        }
      }
      throw new HeldException("Cannot start " + job + ": another run took " + path + " at the same moment");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + path + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> owner(String runId, Duration lease) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    Instant now = Instant.now();
    Map<String, Object> owner = new LinkedHashMap<>();
    owner.put("run_id", runId);
    owner.put("host", InetAddress.getLocalHost().getHostName());
    owner.put("pid", self.pid());
    owner.put("process_start", self.info().startInstant().map(Instant::toString).orElse(null));
    owner.put("acquired_at", now.toString());
    owner.put("lease_seconds", lease.toSeconds());
    owner.put("expires_at", now.plus(lease).toString());
    return owner;
  }

  /** Why the holder is gone, or empty while it may be alive. */
  private static Optional<String> whyStale(Map<?, ?> holder, Path path) throws IOException {
    Object expires = holder.get("expires_at");
    if (expires == null || Instant.parse(expires.toString()).isBefore(Instant.now())) {
      return Optional.of("its lease ran out at " + expires);
    }
    if (!InetAddress.getLocalHost().getHostName().equals(holder.get("host")) || !(holder.get("pid") instanceof Number)) {
      return Optional.empty(); // another host: only the lease can tell
    }
    long pid = ((Number) holder.get("pid")).longValue();
    if (pid == ProcessHandle.current().pid()) {
      return holder.get("run_id").equals(HELD_HERE.get(path.toString())) ? Optional.empty()
          : Optional.of("it names this process, which no longer holds it");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return Optional.of("its process " + pid + " on this host is gone");
    }
    Object started = holder.get("process_start");
    Optional<String> startedNow = process.get().info().startInstant().map(Instant::toString);
    if (started != null && startedNow.isPresent() && !startedNow.get().equals(started)) {
      return Optional.of("process " + pid + " on this host is another process now (started " + startedNow.get() + ")");
    }
    return Optional.empty();
  }

  /**
   * Moves the stale lock aside under a name of this run's (atomic, so only one rerun wins), checks that
   * the lock moved is the one judged stale, and removes it; a live lock moved by mistake is put back.
   */
  private static void takeOver(FileSystem fs, Path path, Map<?, ?> judged, String runId) throws IOException {
    Path aside = new Path(path.getParent(), "._lock." + runId + ".stale");
    if (!fs.rename(path, aside)) {
      return; // gone already, or another rerun moved it first: the next attempt sees which
    }
    Optional<Map<?, ?>> moved = readHolder(fs, aside);
    boolean same = judged == null ? moved.isEmpty()
        : moved.isPresent() && String.valueOf(judged.get("run_id")).equals(String.valueOf(moved.get().get("run_id")))
            && String.valueOf(judged.get("expires_at")).equals(String.valueOf(moved.get().get("expires_at")));
    if (!same && !fs.exists(path) && fs.rename(aside, path)) {
      return; // it was renewed or retaken meanwhile: put it back, the next attempt is refused by it
    }
    fs.delete(aside, false);
  }

  /**
   * Hadoop's create-without-overwrite checks then creates; on a local disk the JDK's CREATE_NEW is one
   * atomic step (O_EXCL), so it is used there.
   */
  private static void createExclusively(FileSystem fs, Path path, byte[] content) throws IOException {
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Files.write(localPath(fs, path), content,
          java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      return;
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(content);
    }
  }

  private static java.nio.file.Path localPath(FileSystem fs, Path path) {
    return java.nio.file.Paths.get(fs.makeQualified(path).toUri());
  }

  private static Duration fileAge(FileSystem fs, Path path) throws IOException {
    try {
      return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime()));
    } catch (java.io.FileNotFoundException e) {
      return Duration.ofDays(365);
    }
  }

  /** The holder recorded in the lock, or empty when the file is gone or does not parse. */
  private static Optional<Map<?, ?>> readHolder(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return Optional.of(JSON.readValue(in, Map.class));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Optional.empty();
    }
  }

  /** Extends the lease, unless the lock is no longer this run's (then it is marked lost, and not touched). */
  private void renew() {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      Optional<Map<?, ?>> holder = readHolder(fs, path);
      if (holder.isEmpty() || !runId.equals(holder.get().get("run_id"))) {
        lost = holder.map(h -> "run " + h.get("run_id") + " took it over").orElse("it was removed");
        LOG.error("Lost the lock {}: {}", path, lost);
        renewer.shutdown();
        return;
      }
      Map<String, Object> renewed = new LinkedHashMap<>(owner);
      Instant now = Instant.now();
      renewed.put("renewed_at", now.toString());
      renewed.put("expires_at", now.plus(lease).toString());
      byte[] content = JSON.writeValueAsBytes(renewed);
      if ("file".equals(fs.getScheme())) {
        // Written aside and moved over the lock in one step: a reader never sees a half-written lease.
        java.nio.file.Path target = localPath(fs, path);
        java.nio.file.Path temp = target.resolveSibling("._lock." + runId + ".renew");
        java.nio.file.Files.write(temp, content);
        java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } else {
        try (OutputStream out = fs.create(path, true)) { // an object PUT: replaced whole on close
          out.write(content);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the lease of {} (retried at the next renewal): {}", path, e.getMessage());
    }
  }

  /**
   * Fails when this run no longer holds its lock (it stalled past its lease and another run took over):
   * called before state is committed, so two runs never both commit.
   */
  public void confirmHeld() {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      Optional<Map<?, ?>> holder = readHolder(fs, path);
      if (lost != null || holder.isEmpty() || !runId.equals(holder.get().get("run_id"))) {
        throw new HeldException("Cannot commit the state of run " + runId + ": its lock " + path + " is no longer"
            + " its own (" + (lost != null ? lost : holder.map(h -> "held by run " + h.get("run_id")).orElse("removed"))
            + "); nothing was committed, rerun the job");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Stops renewing and releases the lock if this run still holds it. */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    HELD_HERE.remove(path.toString(), runId);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      Optional<Map<?, ?>> holder = readHolder(fs, path);
      if (holder.isPresent() && runId.equals(holder.get().get("run_id"))) {
        fs.delete(path, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot release " + path + ": " + e.getMessage(), e);
    }
  }
}

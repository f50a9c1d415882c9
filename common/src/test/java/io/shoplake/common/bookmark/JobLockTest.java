package io.shoplake.common.bookmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLockTest {
  @TempDir Path dir;

  @Test
  void ofManyRunsStartingAtOnceExactlyOneGetsTheLock() throws Exception {
    String stateDir = dir.resolve("_state/transactions").toUri().toString();
    int runs = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    List<Future<JobLock>> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String runId = "run-" + i;
      Callable<JobLock> attempt = () -> {
        start.await();
        try {
          return JobLock.acquire("transactions", stateDir, runId, Duration.ofHours(1), new Configuration());
        } catch (JobLock.HeldException e) {
          return null;
        }
      };
      results.add(pool.submit(attempt));
    }
    start.countDown();
    List<JobLock> winners = new ArrayList<>();
    for (Future<JobLock> f : results) {
      if (f.get() != null) {
        winners.add(f.get());
      }
    }
    pool.shutdown();
    assertEquals(1, winners.size());
    winners.get(0).close();
    assertFalse(Files.exists(dir.resolve("_state/transactions/_lock.json")));
  }

  @Test
  void aSecondRunIsRefusedWithTheHolderAndAnExpiredLockIsTakenOver() throws Exception {
    TestLake lake = new TestLake(dir.resolve("lake"));
    lake.writeTransactions("2025-01-01", "a.csv", List.of(
        "T1,C1,P1,1,10.00,0,0,USD,card,completed,2025-01-01T10:00:00Z,,US"));
    JobHarness jobs = new JobHarness(lake);
    Path lock = lake.root().resolve("_state/transactions/_lock.json");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "{\"run_id\":\"other-run\",\"host\":\"etl-1\",\"pid\":42,"
        + "\"acquired_at\":\"" + Instant.now() + "\",\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}");

    JobOutcome refused = jobs.run(new TransactionEtl());
    assertEquals(1, refused.exitCode());
    assertTrue(jobs.stderr().contains("Cannot start transactions: run other-run (etl-1, process 42) holds"),
        jobs.stderr());
    assertFalse(Files.exists(lake.root().resolve("processed/transactions")));
    assertTrue(Files.exists(lock), "the holder's lock is left alone");

    Files.writeString(lock, "{\"run_id\":\"dead-run\",\"expires_at\":\"" + Instant.now().minusSeconds(1) + "\"}");
    JobOutcome after = jobs.run(new TransactionEtl());
    assertEquals(0, after.exitCode(), jobs.stderr());
    assertFalse(Files.exists(lock), "released at the end of the run");
  }

  @Test
  void aLockHeldByAnotherRunIsNotReleasedByThisOne() throws Exception {
    String stateDir = dir.resolve("_state/x").toUri().toString();
    JobLock mine = JobLock.acquire("x", stateDir, "mine", Duration.ofHours(1), new Configuration());
    // Another run took it over while this one stalled (simulated by replacing the file).
    Path lock = dir.resolve("_state/x/_lock.json");
    Files.writeString(lock, lockOf("theirs", "elsewhere", 1, null, Instant.now().plusSeconds(3600)));
    JobLock.HeldException lost = assertThrows(JobLock.HeldException.class, mine::confirmHeld);
    assertTrue(lost.getMessage().contains("is no longer its own (held by run theirs)"), lost.getMessage());
    mine.close();
    assertTrue(Files.readString(lock).contains("theirs"), "the other run's lock is left alone");
  }

  @Test
  void theLeaseIsRenewedWhileTheRunLivesSoAShortLeaseStillExcludesASecondRun() throws Exception {
    String stateDir = dir.resolve("_state/y").toUri().toString();
    Path lock = dir.resolve("_state/y/_lock.json");
    try (JobLock held = JobLock.acquire("y", stateDir, "long-run", Duration.ofMillis(900), new Configuration())) {
      String first = Files.readString(lock);
      Thread.sleep(2_000); // more than two leases
      assertFalse(first.equals(Files.readString(lock)), "renewed");
      assertTrue(Files.readString(lock).contains("\"renewed_at\""));
      assertThrows(JobLock.HeldException.class,
          () -> JobLock.acquire("y", stateDir, "second", Duration.ofMillis(900), new Configuration()));
      held.confirmHeld();
    }
    assertFalse(Files.exists(lock));
  }

  @Test
  void aLockOfAProcessThatIsGoneOnThisHostIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path lock = dir.resolve("_state/z/_lock.json");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, lockOf("killed-run", host(), gone.pid(), null, Instant.now().plusSeconds(3600)));
    try (JobLock taken = JobLock.acquire("z", lock.getParent().toUri().toString(), "rerun", Duration.ofMinutes(2),
        new Configuration())) {
      assertTrue(Files.readString(lock).contains("\"rerun\""));
    }
  }

  @Test
  void aLiveProcessOnThisHostKeepsItsLockAndAReusedProcessIdDoesNot() throws Exception {
    Process alive = new ProcessBuilder("sleep", "30").start();
    try {
      Path lock = dir.resolve("_state/w/_lock.json");
      Files.createDirectories(lock.getParent());
      String started = alive.info().startInstant().orElseThrow().toString();
      Files.writeString(lock, lockOf("live-run", host(), alive.pid(), started, Instant.now().plusSeconds(3600)));
      String stateDir = lock.getParent().toUri().toString();
      assertThrows(JobLock.HeldException.class,
          () -> JobLock.acquire("w", stateDir, "second", Duration.ofMinutes(2), new Configuration()));

      // The same process id, but a process that started at another time: the holder is gone.
      Files.writeString(lock, lockOf("old-run", host(), alive.pid(), "2001-01-01T00:00:00Z",
          Instant.now().plusSeconds(3600)));
      JobLock.acquire("w", stateDir, "rerun", Duration.ofMinutes(2), new Configuration()).close();
    } finally {
      alive.destroyForcibly();
    }
  }

  private static String host() throws java.net.UnknownHostException {
    return java.net.InetAddress.getLocalHost().getHostName();
  }

  private static String lockOf(String runId, String host, long pid, String processStart, Instant expires) {
    return "{\"run_id\":\"" + runId + "\",\"host\":\"" + host + "\",\"pid\":" + pid + ","
        + (processStart == null ? "" : "\"process_start\":\"" + processStart + "\",")
        + "\"acquired_at\":\"" + Instant.now() + "\",\"expires_at\":\"" + expires + "\"}";
  }
}

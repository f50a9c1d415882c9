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
    Files.writeString(lock, "{\"run_id\":\"other-run\",\"host\":\"etl-1\",\"process\":\"42@etl-1\","
        + "\"acquired_at\":\"" + Instant.now() + "\",\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}");

    JobOutcome refused = jobs.run(new TransactionEtl());
    assertEquals(1, refused.exitCode());
    assertTrue(jobs.stderr().contains("Cannot start transactions: run other-run (etl-1, 42@etl-1) holds"),
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
    JobLock mine = JobLock.acquire("x", stateDir, "mine", Duration.ofMillis(1), new Configuration());
    Thread.sleep(5);
    JobLock theirs = JobLock.acquire("x", stateDir, "theirs", Duration.ofHours(1), new Configuration());
    mine.close();
    assertThrows(JobLock.HeldException.class,
        () -> JobLock.acquire("x", stateDir, "third", Duration.ofHours(1), new Configuration()));
    theirs.close();
  }
}

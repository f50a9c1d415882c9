package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SideTaskTest {
  @Test
  void joinGivesTheResultAndTheTaskSeesTheStartersSparkJobDescription() {
    var spark = SharedSpark.get().sparkContext();
    spark.setJobDescription("transactions: the starter's stage");
    try {
      SideTask<String> task = SideTask.start("side", () -> Thread.currentThread().getName() + " / "
          + spark.getLocalProperty("spark.job.description"));
      assertEquals("side / transactions: the starter's stage", task.join());
    } finally {
      spark.setJobDescription(null);
    }
  }

  @Test
  void joinRethrowsWhatTheTaskThrewUnwrapped() {
    UncheckedIOException thrown = new UncheckedIOException("Cannot read raw/fx_rates", new java.io.IOException("x"));
    SideTask<String> task = SideTask.start("side", () -> {
      throw thrown;
    });
    assertSame(thrown, assertThrows(UncheckedIOException.class, task::join));
  }

  @Test
  void finishWaitsForTheTaskAndSwallowsItsFailure() {
    AtomicBoolean ended = new AtomicBoolean();
    SideTask<String> task = SideTask.start("side",
        () -> failAfterAWhile(ended, new IllegalStateException("the side task failed too")));
    task.finish();
    assertTrue(ended.get(), "finish returned before the task ended");
  }

  @Test
  void joinAllGivesTheResultsInOrder() {
    assertEquals(List.of("sales", "summary", "inline"), SideTask.joinAll(List.of(SideTask.start("a", () -> "sales"),
        SideTask.start("b", () -> "summary"), SideTask.inline(() -> "inline"))));
  }

  /** A failed table's message is the run's, and no other table's write is still running when the job fails. */
  @Test
  void joinAllWaitsForEveryTaskThenThrowsTheFirstFailure() {
    IllegalStateException first = new IllegalStateException("Cannot write curated/sales");
    AtomicBoolean laterEnded = new AtomicBoolean();
    List<SideTask<String>> tasks = List.of(
        SideTask.start("first", () -> {
          throw first;
        }),
        SideTask.start("later", () -> failAfterAWhile(laterEnded, new IllegalArgumentException("a later failure"))));
    assertSame(first, assertThrows(IllegalStateException.class, () -> SideTask.joinAll(tasks)));
    assertTrue(laterEnded.get(), "joinAll threw before every task ended");
  }

  /** A task that fails after 200 ms, having set {@code ended}: one still running when its caller goes on. */
  private static String failAfterAWhile(AtomicBoolean ended, RuntimeException failure) {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ended.set(true);
    throw failure;
  }
}

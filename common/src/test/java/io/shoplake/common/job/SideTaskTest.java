package io.shoplake.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.io.UncheckedIOException;
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
    SideTask<String> task = SideTask.start("side", () -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ended.set(true);
      throw new IllegalStateException("the side task failed too");
    });
    task.finish();
    assertTrue(ended.get(), "finish returned before the task ended");
  }
}

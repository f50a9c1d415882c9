package io.shoplake.common.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A part of a job run on a driver thread of its own while the job's main thread goes on, for work whose
 * result is needed only later: a cold JVM spends seconds planning a small input's first Spark executions on
 * one core, time in which the main thread's tasks can use the others. The thread inherits the Spark local
 * properties of the thread that starts it (job description, active session), as any thread Spark sees.
 *
 * <p>Failures stay the job's own: {@link #join} rethrows what the task threw, unwrapped, so the job
 * fails with the same message as if it had run the work itself. A job that fails before it joins calls
 * {@link #finish} so that no work of the run (a quarantine write, say) outlives it.
 */
public final class SideTask<T> {
  private final CompletableFuture<T> result;

  private SideTask(CompletableFuture<T> result) {
    this.result = result;
  }

  /** Starts {@code work} on a new daemon thread named {@code name}. */
  public static <T> SideTask<T> start(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return new SideTask<>(result);
  }

  /**
   * Runs {@code work} now, on the caller's thread (its failure thrown from here): for a run where a thread
   * of its own would not pay, as when the work beside it is short.
   */
  public static <T> SideTask<T> inline(Supplier<T> work) {
    return new SideTask<>(CompletableFuture.completedFuture(work.get()));
  }

  /** Waits for the task and returns its result, or throws what it threw. */
  public T join() {
    try {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Waits for every task and returns their results in order, or, once all have ended, throws what the first
   * failed one threw (as {@link #join}): no task of the run outlives a failure of another.
   */
  public static <T> List<T> joinAll(List<SideTask<T>> tasks) {
    List<T> results = new ArrayList<>();
    Throwable first = null;
    for (SideTask<T> task : tasks) {
      try {
        results.add(task.join());
      } catch (RuntimeException | Error e) {
        first = first == null ? e : first;
      }
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (first instanceof Error error) {
      throw error;
    }
    return results;
  }

  /** Waits for the task to end, whatever its outcome: for a job that is failing for another reason. */
  public void finish() {
    result.handle((value, failure) -> null).join(); // its failure dropped: the job's own is the one to report
  }
}

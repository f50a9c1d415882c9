package io.shoplake.common.spark;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.catalyst.ScalaReflection$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Scala's runtime reflection universe on a daemon thread while the session starts, instead of on
 * the job's thread in the middle of its run.
 *
 * <p>Why: Spark builds the universe the first time it generates code for an {@code Invoke} expression
 * (the first collect of rows into Java objects, an encoder), on the thread that runs the query, and the
 * query waits: the universe alone takes 1.1-1.3 s in a bare JVM, and the 1M-row transaction run waited
 * 0.7-1.1 s for it (docs/BENCHMARKS.md, twenty-third round). Started before the SparkContext, it runs on a
 * core the context's start leaves mostly idle; the universe is a lazily initialised, synchronised value, so
 * a query that needs it first waits for the rest of the build instead of starting it again.
 *
 * <p>Costs that CPU once per JVM, also in a run that would never have needed it. A failure here is
 * logged and left alone: the query builds the universe itself, as without this class.
 */
public final class ReflectionWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(ReflectionWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private ReflectionWarmUp() {}

  /** Starts the build once per JVM; returns at once. */
  public static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(ReflectionWarmUp::build, "shoplake-reflection-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void build() {
    try {
      ScalaReflection$.MODULE$.universe();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Scala reflection not built ahead: {}", e.toString());
    }
  }
}

package io.shoplake.common.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the JVM's optimising compiler (C2) off the generated code of Spark's stages for a small input, and lets
 * it back for a large one, through HotSpot's compiler directives: the {@code Compiler.directives_add} and
 * {@code Compiler.directives_remove} diagnostic commands, called in this JVM through the platform MBean server
 * (no JVM flag, nothing printed on the console). A method C2 may not compile is compiled by C1 at once,
 * without profiling.
 *
 * <p>Why: in local mode the driver's JVM runs the tasks, on the same cores as its compilers. A stage's
 * generated {@code processNext} can be large (the transaction job's staging stage: 6.6 KB of bytecode,
 * about 300 KB of C2 code, some 3 s of C2's CPU), and C2 compiles it twice: the first task to reach the end
 * of its input leaves the loop by a branch the compiled code had never seen taken ({@code unstable_if}), and
 * the JVM throws that code away and compiles the method again, for rows that are nearly done. On a small
 * input that work costs more than C2's faster code returns; on a large one the faster code wins
 * (docs/BENCHMARKS.md, twenty-ninth round: the transaction job 15% faster at 115 MB of CSV, as fast at 345 MB,
 * 15% slower at 1.15 GB). Hence a threshold, {@code shoplake.spark.c2-min-input-bytes}.
 *
 * <p>The directive is JVM-wide and applies to compilations from then on: a method compiled while it was in
 * place stays C1 code, and jobs side by side in one JVM (the pipeline's small steps) share it, the last
 * decision holding. It changes only how fast the code runs, never what it computes. Without HotSpot's
 * diagnostic command (another JVM), nothing is changed and the run says so once in its log.
 */
public final class GeneratedCodeJit {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedCodeJit.class);
  /** The generated stage classes' row loop (Spark names them {@code GeneratedIteratorForCodegenStage<id>}). */
  static final String METHODS = "*GeneratedIteratorForCodegenStage*.processNext";
  static final String DIRECTIVE = "[{ match: \"" + METHODS + "\", c2: { Exclude: true } }]";
  private static final String[] STRINGS = {String[].class.getName()};

  /** Whether this class's directive is in place; guarded by the class's lock. */
  private static boolean installed;
  private static boolean unavailableLogged;

  private GeneratedCodeJit() {}

  /**
   * Puts the directive in place ({@code c1Only}) or takes it away; does nothing when it already is as asked.
   * Takes away only the directive on top of the JVM's stack, and only when it is this class's (one added
   * since by someone else, e.g. with {@code jcmd}, stays).
   *
   * @return whether the directive is in place afterwards
   */
  public static synchronized boolean c1Only(boolean c1Only) {
    if (c1Only == installed) {
      return installed;
    }
    try {
      if (c1Only) {
        Path file = Files.createTempFile("shoplake-jit-", ".json");
        try {
          Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
          String answer = diagnosticCommand("compilerDirectivesAdd", file.toString());
          installed = ours(diagnosticCommand("compilerDirectivesPrint"));
          if (!installed) {
            LOG.info("The JVM did not take the compiler directive for Spark's generated code: {}", answer.strip());
          }
        } finally {
          Files.deleteIfExists(file);
        }
      } else {
        if (ours(diagnosticCommand("compilerDirectivesPrint"))) {
          diagnosticCommand("compilerDirectivesRemove");
        } // else someone else's is on top now: theirs stays, and ours is no longer known to be the one to remove
        installed = false;
      }
    } catch (JMException | IOException | RuntimeException e) {
      if (!unavailableLogged) {
        unavailableLogged = true;
        LOG.info("The JVM's compilers are left as they are for Spark's generated code (no HotSpot compiler"
            + " directives here: {})", e.toString());
      }
    }
    return installed;
  }

  /** Whether this class's directive is in place (as far as this class knows: see {@link #c1Only}). */
  public static synchronized boolean inPlace() {
    return installed;
  }

  /** Whether the top of a {@code Compiler.directives_print} listing is this class's directive. */
  static boolean ours(String listing) {
    int matching = listing.indexOf("matching:");
    if (matching < 0) {
      return false;
    }
    int end = listing.indexOf('\n', matching);
    return listing.substring(matching + "matching:".length(), end < 0 ? listing.length() : end).strip()
        .equals(METHODS);
  }

  /** Runs one HotSpot diagnostic command in this JVM and returns what it printed. */
  static String diagnosticCommand(String operation, String... arguments) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Object answer = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
        new Object[] {arguments}, STRINGS);
    return answer == null ? "" : answer.toString();
  }
}

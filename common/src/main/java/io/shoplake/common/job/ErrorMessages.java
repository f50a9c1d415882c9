package io.shoplake.common.job;

import io.shoplake.common.lake.ObjectStoreErrors;

/**
 * Turns an exception chain into the one line a user reads on stderr and in the manifest: our own
 * "Cannot ..." message when there is one, otherwise the innermost cause's type and message. An object-store
 * failure a user can fix (a missing bucket, refused credentials, an endpoint that does not answer) is
 * said in plain words instead of the SDK's paragraph ({@link ObjectStoreErrors}).
 */
public final class ErrorMessages {
  private static final int MAX_LENGTH = 600;

  /** The folder of Spark's "Task failed while writing rows to <folder>/.spark-staging-<id>." failure. */
  private static final java.util.regex.Pattern TASK_WRITE_FAILED =
      java.util.regex.Pattern.compile(
          "Task failed while writing rows to (\\S+?)(?:/\\.spark-staging-\\S*|\\.?(?:\\s|$))");

  private ErrorMessages() {}

  public static String oneLine(Throwable error) {
    Throwable ours = null;
    Throwable root = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (ours == null && t.getMessage() != null && t.getMessage().startsWith("Cannot ")) {
        ours = t;
      }
      root = t;
      if (t.getCause() == t) {
        break;
      }
    }
    String text;
    java.util.Optional<ObjectStoreErrors.Explained> store = ObjectStoreErrors.explain(error);
    if (store.isPresent()) {
      // What we were doing ("Cannot write run manifest <path>"), then what the store said, in plain words.
      String doing = ours == null ? "Cannot use the lake" : ours.getMessage().split(": ", 2)[0];
      text = doing + ": " + store.get().message();
    } else if (ours != null) {
      text = ours.getMessage();
    } else {
      String message = root.getMessage() == null ? where(root) : ": " + root.getMessage();
      text = root.getClass().getSimpleName() + message + fileNameHint(root, System.getProperty("sun.jnu.encoding"))
          + csvWidthHint(error) + diskFullHint(error, root) + openFilesHint(root);
    }
    text = text.replaceAll("\\s*\\R\\s*", " ").trim();
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "..." : text;
  }

  /**
   * Where an exception without a message was thrown (" at io.shoplake...Class.method(File.java:210)"): the
   * frame of ours nearest to it, else its first. Such an exception is a defect, not bad input, and without
   * this the one line said only "NullPointerException"; the manifest's error_detail has the whole trace.
   */
  static String where(Throwable root) {
    StackTraceElement[] frames = root.getStackTrace();
    for (StackTraceElement frame : frames) {
      if (frame.getClassName().startsWith("io.shoplake.")) {
        return " at " + frame;
      }
    }
    return frames.length == 0 ? "" : " at " + frames[0];
  }

  /**
   * Why a local file name cannot be used, when the JVM names files in a charset without it ({@code
   * sun.jnu.encoding}, from the locale: ASCII under {@code LANG=C}), or "". Java cannot then even list such a
   * file, so only the locale can fix it; scripts/lib.sh picks a UTF-8 one, a bare spark-submit does not.
   */
  static String fileNameHint(Throwable root, String fileNameEncoding) {
    boolean unmappable = root instanceof java.nio.file.InvalidPathException && root.getMessage() != null
        && root.getMessage().contains("unmappable characters");
    if (!unmappable || fileNameEncoding == null || fileNameEncoding.equalsIgnoreCase("UTF-8")) {
      return "";
    }
    return " (this JVM names files in " + fileNameEncoding + ", from its locale: run it under a UTF-8 locale,"
        + " e.g. LC_ALL=C.UTF-8)";
  }

  /**
   * What an index error from Spark's CSV parser means, or "": a record with more fields than the reader takes
   * ({@code maxColumns}, 20480) fails the whole read with nothing but the index in its message. Validate rejects
   * such a file ({@code too_many_fields}), but a job run on files validate never checked, or accepted before that
   * check existed, meets it here.
   */
  static String csvWidthHint(Throwable error) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getClass().getName().equals("com.univocity.parsers.common.TextParsingException") && t.getMessage() != null
          && t.getMessage().contains("ArrayIndexOutOfBoundsException")) {
        return " (a CSV record has more fields than Spark's reader takes, 20480: a corrupt line; validate rejects"
            + " such a file as too_many_fields, and checks again a file it accepted before once the file changes)";
      }
    }
    return "";
  }

  /**
   * What a full disk means, and where, or "": the operating system says only "No space left on device", and Spark
   * names the folder it was writing in a task's failure further up the chain ({@code TASK_WRITE_FAILED}). The
   * run committed no state, so freeing space and rerunning redoes it.
   */
  static String diskFullHint(Throwable error, Throwable root) {
    if (root.getMessage() == null || !root.getMessage().contains("No space left on device")) {
      return "";
    }
    String writing = "";
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      java.util.regex.Matcher m = t.getMessage() == null ? null : TASK_WRITE_FAILED.matcher(t.getMessage());
      if (m != null && m.find()) {
        writing = ", writing " + m.group(1);
        break;
      }
    }
    if (writing.isEmpty()) {
      writing = scratchWrite(root).map(what -> ", " + what + " (SPARK_LOCAL_DIRS or spark.local.dir, /tmp by"
          + " default)").orElse("");
    }
    return " (a disk is full" + writing + ": free space on it and rerun)";
  }

  /**
   * What "Too many open files" means, or "": the process's limit (HotSpot raises it to the hard limit at start, so
   * a low hard limit, as some containers set, is what runs out). Partitioned writes of jobs side by side hold many
   * files open at once; the sample pipeline needs about 512.
   */
  static String openFilesHint(Throwable root) {
    return root.getMessage() != null && root.getMessage().contains("Too many open files")
        ? " (the process's limit of open files: raise its hard limit, ulimit -Hn, to 4096 or more, and rerun)" : "";
  }

  /**
   * What Spark was writing in its scratch folder (not the lake) when {@code root} was thrown, from its frames: a
   * shuffle or a cache block, or the job's jar, which a session copies there as it starts. Empty otherwise.
   */
  private static java.util.Optional<String> scratchWrite(Throwable root) {
    for (StackTraceElement frame : root.getStackTrace()) {
      String name = frame.getClassName();
      if (name.startsWith("org.apache.spark.shuffle.") || name.startsWith("org.apache.spark.storage.")) {
        return java.util.Optional.of("writing Spark's shuffle or cache files in its scratch folder");
      }
      if (name.equals("org.apache.spark.util.Utils$") && frame.getMethodName().equals("fetchFile")) {
        return java.util.Optional.of("copying the job's jar into Spark's scratch folder");
      }
    }
    return java.util.Optional.empty();
  }

  public static String stackTrace(Throwable error) {
    java.io.StringWriter out = new java.io.StringWriter();
    error.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}

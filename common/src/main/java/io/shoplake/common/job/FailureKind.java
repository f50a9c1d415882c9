package io.shoplake.common.job;

import io.shoplake.common.bookmark.JobLock;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.lake.ObjectStoreErrors;
import java.io.FileNotFoundException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why a run failed, as far as a retry is concerned. Only {@link #TRANSIENT} is worth retrying: an I/O
 * or network fault (a reset connection, a timeout, S3 throttling, a lost shuffle block) may not happen
 * again. A bad argument, data that fails a check, a lock held by another run or any other error (a
 * missing input, a bug) gives the same answer when run again unchanged, so retrying it only delays
 * the message.
 */
public enum FailureKind {
  USAGE, DATA, LOCKED, TRANSIENT, FAILURE;

  /** Faults named by class, so that no Spark or s3a class is needed on the classpath to test for them. */
  private static final java.util.Set<String> TRANSIENT_CLASSES = java.util.Set.of(
      "org.apache.spark.shuffle.FetchFailedException",
      "org.apache.hadoop.fs.s3a.AWSServiceThrottledException",
      "org.apache.hadoop.fs.s3a.AWSStatus500Exception",
      "org.apache.hadoop.fs.s3a.AWSNoResponseException",
      "org.apache.hadoop.fs.s3a.AWSClientIOException",
      "org.apache.hadoop.net.ConnectTimeoutException");

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind recorded in a manifest's {@code error_kind}, or {@link #FAILURE} when unknown. */
  public static FailureKind fromLabel(String label) {
    for (FailureKind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    return FAILURE;
  }

  public static FailureKind of(Throwable error) {
    if (error instanceof UsageException) {
      return USAGE;
    }
    if (error instanceof DataCheckFailure) {
      return DATA;
    }
    if (error instanceof JobLock.HeldException) {
      return LOCKED;
    }
    java.util.Optional<ObjectStoreErrors.Explained> store = ObjectStoreErrors.explain(error);
    if (store.isPresent()) {
      return switch (store.get().problem()) {
        // A wrong lake root or wrong keys: configuration, which a retry cannot fix.
        case MISSING_BUCKET, CREDENTIALS_REFUSED -> USAGE;
        case ACCESS_DENIED -> FAILURE;
        case UNREACHABLE -> TRANSIENT;
      };
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (isTransient(t)) {
        return TRANSIENT;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return FAILURE;
  }

  private static boolean isTransient(Throwable t) {
    // A missing file or a refused permission stays missing or refused.
    if (t instanceof FileNotFoundException || t instanceof java.nio.file.AccessDeniedException
        || t.getClass().getName().equals("org.apache.hadoop.security.AccessControlException")) {
      return false;
    }
    return t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException
        || t instanceof java.net.UnknownHostException || t instanceof TimeoutException
        || t instanceof SQLTransientException || t instanceof SQLRecoverableException
        || TRANSIENT_CLASSES.contains(t.getClass().getName());
  }
}

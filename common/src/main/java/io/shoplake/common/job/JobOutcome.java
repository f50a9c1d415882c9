package io.shoplake.common.job;

import io.shoplake.common.manifest.RunManifest;
import java.util.Optional;

/**
 * How a launch ended: the process exit code (0 succeeded, 1 failed, 2 bad argument or config), the
 * manifest (absent when the run never started) and where it was written.
 */
public record JobOutcome(int exitCode, Optional<RunManifest> manifest, Optional<String> manifestPath) {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /**
   * True when a rerun may succeed: the run failed for a transient reason (an endpoint that did not
   * answer, a connection reset). A bad argument, failed checks, a held lock or a bug would fail again.
   * Safe to rerun: a failed run committed no state, so its rerun redoes exactly the same work.
   */
  public boolean worthRetrying() {
    return exitCode == FAILED && manifest.isPresent()
        && FailureKind.fromLabel(manifest.get().getErrorKind()) == FailureKind.TRANSIENT;
  }
}

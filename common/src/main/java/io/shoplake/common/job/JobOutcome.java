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
}

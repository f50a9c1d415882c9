package io.shoplake.common.manifest;

/** The life of a run as its manifest records it; a caller polls the manifest for it. */
public enum RunStatus {
  /** Accepted (arguments and configuration valid), not started yet. */
  SUBMITTED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

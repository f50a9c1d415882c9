package io.shoplake.common.lake;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * Where each zone of the lake lives under one root URI (see docs/DATA_CONTRACT.md): raw, processed,
 * curated, quarantine, exports, {@code _state} and {@code _runs}. Pure string work: no file system
 * is touched, so it is safe inside transformations and on executors.
 */
public final class LakePaths implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;

  /** {@code root} is a URI ({@code file:///…}, {@code s3://…}, {@code s3a://…}); a trailing slash is ignored. */
  public LakePaths(String root) {
    String trimmed = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    this.root = trimmed;
  }

  public String root() {
    return root;
  }

  public String raw(String dataset) {
    return root + "/raw/" + dataset;
  }

  public String rawDate(String dataset, LocalDate date) {
    return raw(dataset) + "/date=" + date;
  }

  public String processed(String dataset) {
    return root + "/processed/" + dataset;
  }

  public String curated(String table) {
    return root + "/curated/" + table;
  }

  public String quarantine(String dataset) {
    return root + "/quarantine/" + dataset;
  }

  public String fileQuarantine(String dataset) {
    return root + "/quarantine/_files/" + dataset;
  }

  public String exports(String name) {
    return root + "/exports/" + name;
  }

  public String state(String job) {
    return root + "/_state/" + job;
  }

  public String runs(String job) {
    return root + "/_runs/" + job;
  }

  public String runManifest(String job, String runId) {
    return runs(job) + "/" + runId + ".json";
  }

  /**
   * {@code location} without one trailing {@code /}: a folder recorded as {@code …/reviews/} by one writer and
   * {@code …/reviews} by another is one folder when outputs are matched by location.
   */
  public static String withoutTrailingSlash(String location) {
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }

  /**
   * The path of {@code fileUri} relative to the root ({@code raw/transactions/date=…/x.csv}), so that
   * lineage columns stay the same when the lake is addressed differently (file:/x vs file:///x) or
   * copied to another bucket. Returns the input unchanged when it is not under a zone of this lake.
   */
  public static String relativeToLake(String fileUri) {
    for (String zone : new String[] {"/raw/", "/processed/", "/curated/"}) {
      int at = fileUri.lastIndexOf(zone);
      if (at >= 0) {
        return fileUri.substring(at + 1);
      }
    }
    return fileUri;
  }
}

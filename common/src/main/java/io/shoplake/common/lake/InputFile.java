package io.shoplake.common.lake;

/**
 * One raw file a job reads.
 *
 * @param path fully qualified URI
 * @param relativePath path under the lake root (the {@code source_file} lineage value)
 * @param rawDate the {@code date=YYYY-MM-DD} partition it was delivered in
 * @param sizeBytes length in bytes
 * @param modifiedAt modification time, epoch milliseconds
 */
public record InputFile(String path, String relativePath, String rawDate, long sizeBytes, long modifiedAt)
    implements java.io.Serializable {

  /** The distinct raw dates of {@code files}, sorted. */
  public static java.util.SortedSet<String> rawDates(java.util.Collection<InputFile> files) {
    java.util.SortedSet<String> dates = new java.util.TreeSet<>();
    files.forEach(f -> dates.add(f.rawDate()));
    return dates;
  }
}

package io.shoplake.common.lake;

/**
 * One raw file a job reads.
 *
 * @param path fully qualified URI
 * @param relativePath path under the lake root (the {@code source_file} lineage value)
 * @param rawDate the {@code date=YYYY-MM-DD} partition it was delivered in
 * @param sizeBytes length in bytes
 * @param modifiedAt modification time, epoch milliseconds
 * @param records the records the file holds as its file check counted them (non-blank JSON lines, RFC 4180
 *     CSV records after the header), or {@link #UNCOUNTED}; the reader must produce exactly as many rows
 * @param wholeFileRead CSV only: a quoted field holds a line break, so the file is read whole, not by lines
 * @param sha256 the content hash its check computed (what a bookmark remembers, to know a touched file from a
 *     changed one), or null when not checked or not hashed
 */
public record InputFile(String path, String relativePath, String rawDate, long sizeBytes, long modifiedAt,
    long records, boolean wholeFileRead, String sha256) implements java.io.Serializable {

  /** {@link #records} of a file that was not counted (not a raw file, or checked before counts were kept). */
  public static final long UNCOUNTED = -1;

  /** A listed file, not yet checked. */
  public InputFile(String path, String relativePath, String rawDate, long sizeBytes, long modifiedAt) {
    this(path, relativePath, rawDate, sizeBytes, modifiedAt, UNCOUNTED, false, null);
  }

  /** This file with what its check found. */
  public InputFile checked(long recordCount, boolean readWhole, String contentHash) {
    return new InputFile(path, relativePath, rawDate, sizeBytes, modifiedAt, recordCount, readWhole, contentHash);
  }

  /** The bytes {@code files} hold together: what the input-size thresholds of a run are compared with. */
  public static long totalBytes(java.util.Collection<InputFile> files) {
    return files.stream().mapToLong(InputFile::sizeBytes).sum();
  }

  /** The distinct raw dates of {@code files}, sorted. */
  public static java.util.SortedSet<String> rawDates(java.util.Collection<InputFile> files) {
    java.util.SortedSet<String> dates = new java.util.TreeSet<>();
    files.forEach(f -> dates.add(f.rawDate()));
    return dates;
  }
}

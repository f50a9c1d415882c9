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
public record InputFile(String path, String relativePath, String rawDate, long sizeBytes, long modifiedAt) {}

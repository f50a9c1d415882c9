package io.shoplake.common.validation;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * What one read of a raw file found: its content hash and the first file-level rule it breaks.
 *
 * @param path the file's URI
 * @param sizeBytes length in bytes
 * @param sha256 hex SHA-256 of the whole (decompressed) content, or null when the file was not read whole (too
 *     large, an unsupported name or compression, corrupt compression)
 * @param reason the rule broken ({@code too_large}, {@code unsupported_name}, {@code unsupported_compression},
 *     {@code not_utf8}, {@code empty}, {@code missing_columns}, {@code repeated_columns}, {@code not_json_lines},
 *     {@code corrupt_compression}, {@code quote_after_space}, {@code too_many_fields}), or null when the file passes
 * @param detail what exactly is wrong, for a person: the line, the columns, the figures
 * @param records the records a reader must produce from the file: its non-blank lines (JSON Lines) or its
 *     RFC 4180 records after the header (CSV); the jobs check their row counts against it
 * @param wholeFileRead CSV only: a quoted field holds a line break, so Spark must read the file whole
 *     ({@code multiLine}) rather than split it into lines
 * @param extraColumns CSV header columns outside the contract (reported, not read)
 */
public record FileInspection(String path, long sizeBytes, String sha256, String reason, String detail,
    long records, boolean wholeFileRead, List<String> extraColumns) implements Serializable {

  public Optional<String> failure() {
    return Optional.ofNullable(reason);
  }
}

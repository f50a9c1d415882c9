package io.shoplake.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The content of a raw file as Spark's readers see it: decompressed when its name ends in the extension of
 * a compression codec Hadoop knows ({@code .gz}, {@code .bz2}, {@code .deflate}), since Spark's CSV, text
 * and JSON readers choose the codec the same way. So a landing zone's gzipped exports are checked, counted
 * and hashed as the text the jobs read, not refused as bytes that are not UTF-8. Cost: the decompression,
 * on the one sequential read the caller makes (a compressed file is also one Spark task: not splittable).
 */
public final class RawFileContent {
  private RawFileContent() {}

  /** The codec {@code path}'s name asks for, or empty for a plain file. */
  public static Optional<CompressionCodec> codec(Path path, Configuration conf) {
    return Optional.ofNullable(new CompressionCodecFactory(conf).getCodec(path));
  }

  /** {@code path}'s content, decompressed when its name asks for it ({@link #codec}). */
  public static InputStream open(Path path, Configuration conf) throws IOException {
    InputStream raw = path.getFileSystem(conf).open(path);
    Optional<CompressionCodec> codec = codec(path, conf);
    if (codec.isEmpty()) {
      return raw;
    }
    try {
      return codec.get().createInputStream(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }
}

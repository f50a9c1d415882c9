package io.shoplake.common.spark;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's {@code file://} file system, with permissions read and set through {@code java.nio} instead
 * of a child process per file. Without Hadoop's native library (never there for a Spark fetched from
 * Maven, as {@code scripts/run-job.sh} runs it, nor in the tests), {@link RawLocalFileSystem} runs
 * {@code chmod} for every directory and file it creates and {@code ls -ld} for every file whose status a
 * listing returns: on the sample pipeline, 1,416 processes forked from a 4 GB JVM, about 4 s of its 40
 * (docs/BENCHMARKS.md). Same files, same permissions, same statuses; only the system calls differ.
 *
 * <p>Installed as {@code fs.file.impl} by {@link SparkSessions} in local mode only, when the native
 * library is missing and nobody chose another implementation; where it is present (a Spark distribution
 * with it, EMR) Hadoop's own class stays. A cluster's executors and Glue's S3 lake are not touched.
 */
public class ForklessLocalFileSystem extends LocalFileSystem {
  public ForklessLocalFileSystem() {
    super(new Raw());
  }

  /** True when Hadoop would fork for permissions here (its native library is not loaded). */
  public static boolean worthInstalling() {
    return !NativeIO.isAvailable();
  }

  /** The raw (checksum-less) side, where Hadoop forks: permission changes and file statuses. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + p + " does not exist");
      }
    }

    /**
     * As {@link RawLocalFileSystem#getFileStatus} (following links), with length, times, owner, group and
     * permission from one {@code stat} system call.
     */
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      File file = pathToFile(f);
      PosixFileAttributes attributes;
      try {
        attributes = Files.readAttributes(file.toPath(), PosixFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + f + " does not exist");
      }
      return new FileStatus(attributes.size(), attributes.isDirectory(), 1, getDefaultBlockSize(f),
          attributes.lastModifiedTime().toMillis(), attributes.lastAccessTime().toMillis(),
          permission(attributes.permissions()),
          attributes.owner().getName(), attributes.group().getName(),
          new Path(file.getPath()).makeQualified(getUri(), getWorkingDirectory()));
    }

    /** The permission bits, owner read first: the order of {@link PosixFilePermission#values()}. */
    private static final PosixFilePermission[] BIT_ORDER = PosixFilePermission.values();

    private static Set<PosixFilePermission> posix(FsPermission permission) {
      int bits = permission.toShort();
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      for (int i = 0; i < BIT_ORDER.length; i++) {
        if ((bits & (1 << (8 - i))) != 0) {
          set.add(BIT_ORDER[i]);
        }
      }
      return set;
    }

    private static FsPermission permission(Set<PosixFilePermission> set) {
      int bits = 0;
      for (int i = 0; i < BIT_ORDER.length; i++) {
        if (set.contains(BIT_ORDER[i])) {
          bits |= 1 << (8 - i);
        }
      }
      return new FsPermission((short) bits);
    }
  }
}

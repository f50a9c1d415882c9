package io.shoplake.common.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.testing.SharedSpark;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork-free local file system gives what Hadoop's own gives (statuses, listings, permissions), and
 * the jobs' sessions use it.
 */
class ForklessLocalFileSystemTest {
  @TempDir
  java.nio.file.Path dir;

  private static FileSystem open(FileSystem fs) throws Exception {
    fs.initialize(URI.create("file:///"), new Configuration(false));
    return fs;
  }

  @Test
  void writesAndListsAsHadoopsOwnLocalFileSystem() throws Exception {
    FileSystem ours = open(new ForklessLocalFileSystem());
    FileSystem hadoops = open(new LocalFileSystem());
    Path root = new Path(dir.toUri());
    Path data = new Path(root, "processed/year=2025/month=1/day=2/part-0.parquet");
    try (OutputStream out = ours.create(data)) {
      out.write("0123456789".getBytes(StandardCharsets.UTF_8));
    }
    Path restricted = new Path(root, "secret");
    ours.mkdirs(restricted, new FsPermission((short) 0700));
    ours.setPermission(data, new FsPermission((short) 0640));

    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("processed/year=2025/month=1/day=2/part-0.parquet"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret"))));
    for (Path p : new Path[] {data, data.getParent(), restricted}) {
      FileStatus a = ours.getFileStatus(p);
      FileStatus b = hadoops.getFileStatus(p);
      assertEquals(b.getPath(), a.getPath());
      assertEquals(b.getLen(), a.getLen());
      assertEquals(b.isDirectory(), a.isDirectory());
      assertEquals(b.getModificationTime(), a.getModificationTime());
      assertEquals(b.getPermission(), a.getPermission());
      assertEquals(b.getOwner(), a.getOwner());
      assertEquals(b.getGroup(), a.getGroup());
    }
    Comparator<FileStatus> byPath = Comparator.comparing(s -> s.getPath().toString());
    FileStatus[] listedOurs = ours.listStatus(data.getParent());
    FileStatus[] listedHadoops = hadoops.listStatus(data.getParent());
    Arrays.sort(listedOurs, byPath);
    Arrays.sort(listedHadoops, byPath);
    assertArrayEquals(Arrays.stream(listedHadoops).map(s -> s.getPath() + " " + s.getLen() + " " + s.getPermission())
        .toArray(), Arrays.stream(listedOurs).map(s -> s.getPath() + " " + s.getLen() + " " + s.getPermission()).toArray());
    assertEquals(1, listedOurs.length, "the checksum file is not listed");
  }

  @Test
  void aMissingPathIsFileNotFoundAsInHadoop() throws Exception {
    FileSystem ours = open(new ForklessLocalFileSystem());
    Path missing = new Path(dir.toUri().toString() + "/missing");
    assertThrows(FileNotFoundException.class, () -> ours.getFileStatus(missing));
    assertThrows(FileNotFoundException.class, () -> ours.setPermission(missing, new FsPermission((short) 0644)));
    assertTrue(!ours.exists(missing));
  }

  @Test
  void theJobsSessionUsesItWhenHadoopHasNoNativeLibrary() throws Exception {
    FileSystem fs = FileSystem.get(URI.create("file:///"), SharedSpark.get().sparkContext().hadoopConfiguration());
    Class<?> expected = ForklessLocalFileSystem.worthInstalling() ? ForklessLocalFileSystem.class : LocalFileSystem.class;
    assertEquals(expected, fs.getClass());
  }
}

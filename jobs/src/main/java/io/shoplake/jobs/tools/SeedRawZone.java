package io.shoplake.jobs.tools;

import io.shoplake.common.config.ConfigLoader;
import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import io.shoplake.common.job.ErrorMessages;
import io.shoplake.common.spark.ObjectStoreSettings;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Copies a local raw zone (such as sample-data/raw) into a lake's {@code raw/} on any Hadoop file system
 * (s3a, s3, a local folder), with the same configuration and environment the jobs use to reach the lake:
 * {@code SeedRawZone <local raw folder> --lake-root URI [--env E] [--config-file F]}. Used by
 * scripts/run-local.sh for a lake on S3, where {@code cp} cannot go.
 *
 * <p>A file already in the lake with the same size is left alone, so a rerun uploads nothing and the
 * jobs' bookmarks find nothing new (an upload would give the object a new modification time). Exit
 * codes: 0 done, 1 a copy failed, 2 a wrong argument. Cost: one listing of the target and one PUT per
 * new file.
 */
public final class SeedRawZone {
  private SeedRawZone() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    if (args.length < 1 || args[0].startsWith("--")) {
      System.err.println("ERROR: usage: SeedRawZone <local raw folder> --lake-root URI [--env E] [--config-file F]");
      return 2;
    }
    Path source = new Path(new java.io.File(args[0]).getAbsoluteFile().toURI());
    LakeConfig config;
    try {
      config = ConfigLoader.load(JobArguments.parse(Arrays.copyOfRange(args, 1, args.length)));
    } catch (UsageException e) {
      System.err.println("ERROR seed: " + ErrorMessages.oneLine(e));
      return 2;
    }
    Configuration hadoop = new Configuration();
    ObjectStoreSettings.apply(hadoop, config.aws(), System.getenv());
    Path target = new Path(config.lakeRoot().replaceAll("/+$", "") + "/raw");
    try {
      FileSystem from = source.getFileSystem(hadoop);
      if (!from.isDirectory(source)) {
        System.err.println("ERROR seed: Cannot copy " + args[0] + ": not a folder");
        return 2;
      }
      FileSystem to = target.getFileSystem(hadoop);
      int copied = 0;
      int kept = 0;
      RemoteIterator<LocatedFileStatus> files = from.listFiles(source, true);
      while (files.hasNext()) {
        LocatedFileStatus file = files.next();
        String relative = source.toUri().relativize(file.getPath().toUri()).getPath();
        Path destination = new Path(target, relative);
        if (sameSize(to, destination, file)) {
          kept++;
          continue;
        }
        FileUtil.copy(from, file.getPath(), to, destination, false, true, hadoop);
        copied++;
      }
      System.out.println("Seeded " + target + " from " + args[0] + ": " + copied + " file(s) copied, " + kept
          + " already there");
      return 0;
    } catch (IOException | RuntimeException e) {
      System.err.println("ERROR seed: Cannot copy " + args[0] + " to " + target + ": " + ErrorMessages.oneLine(e));
      return 1;
    }
  }

  private static boolean sameSize(FileSystem fs, Path path, FileStatus source) throws IOException {
    try {
      return fs.getFileStatus(path).getLen() == source.getLen();
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
  }
}

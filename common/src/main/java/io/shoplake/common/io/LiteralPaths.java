package io.shoplake.common.io;

import io.shoplake.common.lake.InputFile;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths of listed files made safe for Spark's file readers, which take every path as a Hadoop glob
 * pattern: a character of <code>{ } [ ] * ? \</code> in a name is escaped with a backslash, so the pattern
 * matches exactly the file it names.
 *
 * <p>Why: a raw file named {@code sales[1].csv} or {@code back\slash.csv}, names a producer may well
 * write, matched nothing (or another file), and the job failed with "Path does not exist" on every rerun,
 * though the file checks had listed and accepted it. Spark's internal reader option that turns globbing
 * off ({@code __globPaths__}) is not used: in Spark 3.5, with it off, every path holding such a character
 * brings in the whole list of paths again, so each file is read several times.
 *
 * <p>Cost: none for a plain name (Spark globs only a path holding one of those characters); for such a
 * name Hadoop's globber checks the one file, as Spark checks a plain path's existence.
 */
public final class LiteralPaths {
  private static final Pattern GLOB_CHARACTER = Pattern.compile("[{}\\[\\]*?\\\\]");

  private LiteralPaths() {}

  /** {@code path} with each glob character escaped. */
  public static String escaped(String path) {
    return GLOB_CHARACTER.matcher(path).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
  }

  /** Whether Spark's readers would take {@code path} as a pattern. */
  public static boolean hasGlobCharacter(String path) {
    return GLOB_CHARACTER.matcher(path).find();
  }

  /** The files' paths, escaped, for {@code DataFrameReader.csv(String...)} and its kind. */
  public static String[] of(Collection<InputFile> files) {
    return files.stream().map(f -> escaped(f.path())).toArray(String[]::new);
  }
}

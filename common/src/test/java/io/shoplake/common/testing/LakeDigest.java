package io.shoplake.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An order-free digest of what a lake holds, to compare a lake after a kill and rerun with the lake of
 * an uninterrupted run: every Parquet dataset of processed/, curated/ and quarantine/ as the multiset of
 * rows a reader sees (without the columns that name the run: run_id, ingested_at; {@link #countAndHashSum}),
 * every export as its sorted lines (without the same fields), the file quarantine's verdicts, the bookmarks'
 * processed files (path, size, hash) and the file registry's verdicts. Hidden files (names starting with '.'
 * or '_') are what readers skip, so they are not content; {@link #visibleLeftovers} lists what a killed run
 * may have left where readers look.
 */
public final class LakeDigest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> RUN_COLUMNS = List.of("run_id", "ingested_at");

  private LakeDigest() {}

  /**
   * {@code LakeDigest <lake folder>}: prints the digest, one part a line, then one line per visible
   * leftover ({@code leftover <path>}) and per stale staging folder ({@code stale staging <path>}); used by
   * {@code scripts/kill-loop.sh} to compare lakes.
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: LakeDigest <lake folder>");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    of(root).forEach((part, digest) -> System.out.println(part + " " + digest));
    visibleLeftovers(root).forEach(path -> System.out.println("leftover " + path));
    staleStaging(root).forEach(path -> System.out.println("stale staging " + path));
    SharedSpark.get().stop();
  }

  /** Part name -> digest (with a row count, so a difference is readable). */
  public static Map<String, String> of(Path root) {
    Map<String, String> digest = new TreeMap<>();
    for (String zone : List.of("processed", "curated", "quarantine")) {
      for (Path dataset : children(root.resolve(zone))) {
        if (!dataset.getFileName().toString().startsWith("_")) {
          digest.put(zone + "/" + dataset.getFileName(), parquet(dataset));
        }
      }
    }
    for (Path export : children(root.resolve("exports"))) {
      digest.put("exports/" + export.getFileName(), lines(export));
    }
    digest.put("quarantine/_files", jsonFields(root.resolve("quarantine/_files"), ".reason.json", "file", "reason"));
    for (Path job : children(root.resolve("_state"))) {
      Path bookmark = job.resolve("bookmark.json");
      if (Files.exists(bookmark)) {
        digest.put("_state/" + job.getFileName() + "/bookmark", bookmarkFiles(bookmark));
      }
    }
    Path registry = root.resolve("_state/validate/files.json");
    if (Files.exists(registry)) {
      digest.put("_state/validate/files.json", registryVerdicts(registry));
    }
    return digest;
  }

  /** Files and folders a reader of the lake's datasets would see that are not Parquet data of a dataset. */
  public static List<String> visibleLeftovers(Path root) {
    return underDataZones(root, (zone, p) -> Files.isRegularFile(p) && visible(zone.relativize(p))
        && !(p.toString().endsWith(".parquet") || p.toString().endsWith(".json")
            || p.toString().endsWith(".jsonl") || p.toString().endsWith(".gz") || p.toString().contains("/_files/")));
  }

  /**
   * Staging that killed runs leave (Spark's {@code _temporary} and {@code .spark-staging-*}, our
   * {@code _staging-*}) still anywhere under processed/, curated/, quarantine/ or exports/: hidden from
   * readers, but a rerun that rewrote the dataset should have removed it.
   */
  public static List<String> staleStaging(Path root) {
    return underDataZones(root, (zone, p) -> {
      String name = p.getFileName().toString();
      return Files.isDirectory(p)
          && (name.equals("_temporary") || name.startsWith(".spark-staging-") || name.startsWith("_staging-"));
    });
  }

  /** The paths (relative to the lake) under processed/, curated/, quarantine/, exports/ that {@code wanted} takes. */
  private static List<String> underDataZones(Path root, java.util.function.BiPredicate<Path, Path> wanted) {
    List<String> found = new ArrayList<>();
    for (String zone : List.of("processed", "curated", "quarantine", "exports")) {
      Path dir = root.resolve(zone);
      if (!Files.exists(dir)) {
        continue;
      }
      try (Stream<Path> all = Files.walk(dir)) {
        all.filter(p -> wanted.test(dir, p)).forEach(p -> found.add(root.relativize(p).toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static boolean visible(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        return false;
      }
    }
    return true;
  }

  private static String parquet(Path dataset) {
    Dataset<Row> rows = SharedSpark.get().read().parquet(dataset.toString());
    List<Column> kept = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!RUN_COLUMNS.contains(c)) {
        kept.add(org.apache.spark.sql.functions.col(c));
      }
    }
    List<long[]> perPartition = rows.select(kept.toArray(new Column[0])).javaRDD()
        .mapPartitions(LakeDigest::countAndHashSum).collect();
    long count = 0;
    long sum = 0;
    for (long[] part : perPartition) {
      count += part[0];
      sum += part[1];
    }
    return count + " entries, " + HexFormat.of().toHexDigits(sum);
  }

  /**
   * The count of a partition's rows and the sum, modulo 2^64, of the first 8 bytes of each row's SHA-256 (of
   * its text, {@code Row.toString}). A sum is order-free, so the rows are hashed where they are read and never
   * meet in one place: sorting every row's text in the driver, as this did before, ran out of a 2 GB heap on
   * a lake of 11M events.
   */
  private static Iterator<long[]> countAndHashSum(Iterator<Row> rows)
      throws java.security.NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long count = 0;
    long sum = 0;
    while (rows.hasNext()) {
      sum += java.nio.ByteBuffer.wrap(sha.digest(rows.next().toString().getBytes(StandardCharsets.UTF_8))).getLong();
      count++;
    }
    return List.of(new long[] {count, sum}).iterator();
  }

  private static String lines(Path export) {
    List<String> text = new ArrayList<>();
    try (Stream<Path> files = Files.walk(export)) {
      for (Path file : files.filter(Files::isRegularFile).filter(p -> visible(export.relativize(p))).toList()) {
        String partition = export.relativize(file).getParent() == null ? "" : export.relativize(file).getParent().toString();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          text.add(partition + " " + withoutRunColumns(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hash(text);
  }

  /** An exported JSON line without the fields that name the run; a line that is not an object as it is. */
  private static String withoutRunColumns(String line) {
    try {
      JsonNode node = JSON.readTree(line);
      if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
        RUN_COLUMNS.forEach(object::remove);
        return object.toString();
      }
    } catch (IOException e) {
      // not JSON: compared as it is
    }
    return line;
  }

  private static String jsonFields(Path dir, String suffix, String... fields) {
    List<String> text = new ArrayList<>();
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
          JsonNode node = JSON.readTree(file.toFile());
          StringBuilder line = new StringBuilder();
          for (String field : fields) {
            line.append(node.path(field).asText()).append('|');
          }
          text.add(line.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return hash(text);
  }

  private static String bookmarkFiles(Path bookmark) {
    List<String> text = new ArrayList<>();
    try {
      for (JsonNode run : JSON.readTree(bookmark.toFile())) { // a list of committed runs
        for (Iterator<Map.Entry<String, JsonNode>> it = run.path("files").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> file = it.next();
          text.add(file.getKey() + "|" + file.getValue().path("sizeBytes").asText() + "|"
              + file.getValue().path("sha256").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hash(text);
  }

  private static String registryVerdicts(Path registry) {
    List<String> text = new ArrayList<>();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(registry.toFile()).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        text.add(e.getKey() + "|" + e.getValue().path("verdict").asText() + "|" + e.getValue().path("reason").asText()
            + "|" + e.getValue().path("records").asText() + "|" + e.getValue().path("sha256").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hash(text);
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    java.util.Collections.sort(sorted);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sorted.forEach(l -> sha.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return sorted.size() + " entries, " + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

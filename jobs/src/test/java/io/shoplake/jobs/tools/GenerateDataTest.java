package io.shoplake.jobs.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator is deterministic and its datasets refer to each other. */
class GenerateDataTest {
  @TempDir Path dir;

  private Path generate(String name, String... extra) {
    Path out = dir.resolve(name);
    String[] args = Stream.concat(Stream.of("--out", out.toString(), "--rows", "500", "--days", "3", "--seed", "9",
        "--dirty-ratio", "0.05"), Stream.of(extra)).toArray(String[]::new);
    new GenerateData(GeneratorOptions.parse(args)).run();
    return out;
  }

  @Test
  void theSameOptionsGiveTheSameBytes() throws IOException {
    Path a = generate("a");
    Path b = generate("b");
    List<Path> files = files(a);
    assertEquals(files.size(), files(b).size());
    for (Path file : files) {
      assertTrue(Files.mismatch(file, b.resolve(a.relativize(file))) == -1, "differs: " + a.relativize(file));
    }
    Path otherSeed = generate("c", "--seed", "10");
    Path transactions = a.resolve("raw/transactions/date=2025-01-01/transactions-part-00000.csv");
    assertFalse(Files.mismatch(transactions, otherSeed.resolve(a.relativize(transactions))) == -1,
        "another seed gives other rows");
  }

  @Test
  void purchasesReferToTransactionsAndTransactionsToProducts() throws IOException {
    Path out = generate("d");
    Set<String> transactionIds = new HashSet<>();
    Set<String> productIds = new HashSet<>();
    int transactionLines = 0;
    for (Path f : files(out.resolve("raw/transactions"))) {
      for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
        transactionLines++;
        transactionIds.add(line.split(",", -1)[0]);
      }
    }
    for (Path f : files(out.resolve("raw/products"))) {
      Matcher m = Pattern.compile("\"product_id\":\"(P\\d+)\"").matcher(Files.readString(f));
      while (m.find()) {
        productIds.add(m.group(1));
      }
    }
    assertEquals(500, transactionLines, "one line per requested row");
    Pattern purchase = Pattern.compile("\"event_type\":\"purchase\".*\"transaction_id\":\"(T\\d+)\"");
    int purchases = 0;
    for (Path f : files(out.resolve("raw/clickstream"))) {
      for (String line : Files.readAllLines(f)) {
        Matcher m = purchase.matcher(line);
        if (m.find()) {
          purchases++;
          assertTrue(transactionIds.contains(m.group(1)), "purchase of unknown transaction " + m.group(1));
        }
      }
    }
    assertTrue(purchases > 300, "completed transactions have purchase events: " + purchases);
    for (Path f : files(out.resolve("raw/transactions"))) {
      for (String line : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
        String product = line.split(",", -1)[2];
        assertTrue(productIds.contains(product), "unknown product " + product);
      }
    }
    assertTrue(Files.readString(out.resolve("mysql/stg_core.sql")).contains("CREATE TABLE IF NOT EXISTS order_items"));
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}

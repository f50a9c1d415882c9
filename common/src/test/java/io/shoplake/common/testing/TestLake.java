package io.shoplake.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A lake in a temporary folder, with helpers to drop raw files into it. */
public final class TestLake {
  public static final String TRANSACTIONS_HEADER = "transaction_id,customer_id,product_id,quantity,unit_price,"
      + "discount_amount,tax_amount,currency,payment_method,status,transaction_ts,customer_email,shipping_country";
  public static final String FX_HEADER = "rate_date,currency,usd_rate";

  private final Path root;

  public TestLake(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public String uri() {
    return root.toUri().toString();
  }

  /** Writes {@code raw/<dataset>/date=<date>/<name>} with a header line and {@code lines}. */
  public Path writeRaw(String dataset, String date, String name, String header, List<String> lines) {
    Path file = root.resolve("raw").resolve(dataset).resolve("date=" + date).resolve(name);
    try {
      Files.createDirectories(file.getParent());
      StringBuilder text = new StringBuilder();
      if (header != null) {
        text.append(header).append('\n');
      }
      lines.forEach(l -> text.append(l).append('\n'));
      Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code raw/<dataset>/date=<date>/<name>} as JSON Lines (no header). */
  public Path writeJsonLines(String dataset, String date, String name, List<String> lines) {
    return writeRaw(dataset, date, name, null, lines);
  }

  public Path writeTransactions(String date, String name, List<String> lines) {
    return writeRaw("transactions", date, name, TRANSACTIONS_HEADER, lines);
  }

  public Path writeFxRates(String date, String name, List<String> lines) {
    return writeRaw("fx_rates", date, name, FX_HEADER, lines);
  }

  /** Copies the committed sample raw zone ({@code ../sample-data/raw}), or only {@code datasets} of it. */
  public TestLake withSampleRaw(String... datasets) {
    Path sample = Path.of("..", "sample-data", "raw");
    List<Path> sources = datasets.length == 0 ? List.of(sample)
        : java.util.Arrays.stream(datasets).map(sample::resolve).toList();
    for (Path from : sources) {
      FileTrees.copy(from, root.resolve("raw").resolve(sample.relativize(from).toString()));
    }
    return this;
  }
}

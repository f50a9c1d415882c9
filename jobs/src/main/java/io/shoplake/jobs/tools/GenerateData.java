package io.shoplake.jobs.tools;

import io.shoplake.common.config.UsageException;
import io.shoplake.jobs.tools.ReferenceData.Customer;
import io.shoplake.jobs.tools.ReferenceData.Product;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic generator of the raw zone (docs/DATA_CONTRACT.md) at any size: the same options
 * give the same bytes. Datasets are consistent with each other: transactions refer to generated
 * customers and products, every completed transaction has a clickstream session ending in a purchase
 * event with its transaction_id, reviews are written by buyers of the product, and
 * {@code mysql/stg_core.sql} holds the same customers and the transactions as orders.
 *
 * <p>A share of rows ({@code --dirty-ratio}) breaks one rule each, chosen in turn: missing or
 * malformed values, unknown status or currency, discounts above the gross amount, lines with extra
 * fields, re-sent transactions (a newer version of an earlier id), duplicate events, bad JSON,
 * ratings out of range. Streams everything: memory does not grow with --rows.
 *
 * <p>Usage: {@code GenerateData --out DIR [--rows N] [--days D] [--seed S] [--dirty-ratio R]
 * [--start-date YYYY-MM-DD] [--datasets a,b]}.
 */
public final class GenerateData {
  static final String TRANSACTIONS_HEADER = "transaction_id,customer_id,product_id,quantity,unit_price,"
      + "discount_amount,tax_amount,currency,payment_method,status,transaction_ts,customer_email,shipping_country";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String[] PAYMENTS = {"card", "card", "paypal", "bank_transfer", "gift_card"};
  private static final String[] DEVICES = {"desktop", "mobile", "mobile", "tablet"};
  private static final String[] REFERRERS = {"google", "direct", "newsletter", "facebook", "affiliate"};
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0";
  private static final String[] BOTS = {"Googlebot/2.1 (+http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; bingbot/2.0)", "HeadlessChrome/120.0", "SomeCrawler/1.0"};
  /** Currencies with FX rates; CHF has none on purpose (missing_fx_rate). */
  private static final String[] FX_CURRENCIES = {"USD", "EUR", "GBP", "CAD", "JPY"};
  private static final double[] FX_START = {1.0, 1.08, 1.27, 0.74, 0.0067};
  /** Orders in stg_core.sql are capped: the SQL seed is for tests and demos, not benchmarks. */
  private static final int MAX_SQL_ORDERS = 5_000;

  private final GeneratorOptions options;
  private final SplittableRandom random;
  private final ReferenceData ref;
  private final RawFiles files;
  private final List<String[]> recentTransactions = new ArrayList<>();
  private final List<String> sqlOrders = new ArrayList<>();
  private final List<String> sqlItems = new ArrayList<>();
  private long transactionSeq;
  private long eventSeq;
  private long sessionSeq;
  private long reviewSeq;
  private long dirtyTurn;

  GenerateData(GeneratorOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.ref = new ReferenceData(options.rows(), random.split());
    this.files = new RawFiles(options.out(), 2_000_000);
  }

  public static void main(String[] args) {
    try {
      GeneratorOptions options = GeneratorOptions.parse(args);
      long start = System.nanoTime();
      new GenerateData(options).run();
      System.out.printf("generated %d transactions over %d days (seed %d, dirty ratio %.3f) into %s in %.1f s%n",
          options.rows(), options.days(), options.seed(), options.dirtyRatio(), options.out().toAbsolutePath(),
          (System.nanoTime() - start) / 1e9);
    } catch (UsageException | UncheckedIOException e) {
      System.err.println("ERROR generate-data: " + e.getMessage());
      System.exit(e instanceof UsageException ? 2 : 1);
    }
  }

  void run() {
    try (files) {
      LocalDate first = options.startDate();
      if (options.wants("categories")) {
        writeCategories(first);
      }
      if (options.wants("products")) {
        writeProducts(first, false);
      }
      double[] fx = FX_START.clone();
      for (int d = 0; d < options.days(); d++) {
        LocalDate day = first.plusDays(d);
        if (options.wants("fx_rates")) {
          writeFxRates(day, fx, d);
        }
        long rowsToday = options.rows() / options.days() + (d < options.rows() % options.days() ? 1 : 0);
        for (long i = 0; i < rowsToday; i++) {
          if (random.nextDouble() < options.dirtyRatio()) {
            writeDirtyTransaction(day);
          } else {
            writeTransaction(day);
          }
        }
        if (options.wants("clickstream")) {
          writeBrowsingSessions(day, Math.max(5, rowsToday / 2));
        }
        if (options.wants("products") && d == options.days() - 1 && options.days() > 1) {
          writeProducts(day, true);
        }
        files.closeDate(day);
      }
    }
    if (options.wants("mysql")) {
      writeStgCore();
    }
  }

  // ---- transactions, and the purchase sessions and reviews that follow them ----

  private void writeTransaction(LocalDate day) {
    Customer customer = ref.customers.get(random.nextInt(ref.customers.size()));
    Product product = ref.products.get(random.nextInt(ref.products.size()));
    int quantity = 1 + random.nextInt(4);
    long gross = product.priceCents() * quantity;
    long discount = random.nextInt(100) < 20 ? gross * (5 + random.nextInt(20)) / 100 : 0;
    long tax = (gross - discount) * 8 / 100;
    String currency = random.nextInt(200) == 0 ? "CHF" : customer.currency();
    int statusRoll = random.nextInt(100);
    String status = statusRoll < 80 ? "completed" : statusRoll < 88 ? "pending" : statusRoll < 95 ? "cancelled" : "refunded";
    // About 2% arrive a day late: the event happened the day before its file.
    LocalDateTime ts = day.atStartOfDay().plusSeconds(random.nextInt(86_400))
        .minusDays(random.nextInt(50) == 0 ? 1 : 0);
    String id = String.format("T%010d", ++transactionSeq);
    String[] fields = {id, customer.id(), product.id(), String.valueOf(quantity), Text.money(product.priceCents()),
        discount == 0 && random.nextBoolean() ? "" : Text.money(discount), Text.money(tax), currency,
        PAYMENTS[random.nextInt(PAYMENTS.length)], status, timestamp(ts),
        random.nextInt(10) == 0 ? "" : emailSpelling(customer.email()), customer.country()};
    writeTransactionLine(day, fields);
    if (recentTransactions.size() == 1000) {
      recentTransactions.remove(0);
    }
    recentTransactions.add(fields);
    if ("completed".equals(status)) {
      if (options.wants("clickstream")) {
        writePurchaseSession(day, customer, product, id, ts);
      }
      if (options.wants("reviews") && random.nextInt(10) == 0) {
        writeReview(day, customer, product, ts);
      }
    }
    if (options.wants("mysql") && sqlOrders.size() < MAX_SQL_ORDERS) {
      long orderId = sqlOrders.size() + 1;
      String updated = PLAIN.format(ts);
      sqlOrders.add(String.format("(%d,%s,%s,%s,%s,%s,%s)", orderId, Text.sql(customer.id()), Text.sql(status),
          Text.sql(currency), Text.money(gross - discount + tax), Text.sql(updated), Text.sql(updated)));
      sqlItems.add(String.format("(%d,%d,%s,%d,%s,%s)", orderId, orderId, Text.sql(product.id()), quantity,
          Text.money(product.priceCents()), Text.sql(updated)));
    }
  }

  private void writeTransactionLine(LocalDate day, String[] fields) {
    if (options.wants("transactions")) {
      files.csv("transactions", day, TRANSACTIONS_HEADER, String.join(",", fields));
    }
  }

  /** One row breaking one rule; the kinds take turns so every rule shows up in small samples. */
  private void writeDirtyTransaction(LocalDate day) {
    LocalDateTime ts = day.atStartOfDay().plusSeconds(random.nextInt(86_400));
    Customer customer = ref.customers.get(random.nextInt(ref.customers.size()));
    Product product = ref.products.get(random.nextInt(ref.products.size()));
    String id = String.format("T%010d", ++transactionSeq);
    String[] f = {id, customer.id(), product.id(), "1", Text.money(product.priceCents()), "", "0.00",
        customer.currency(), "card", "completed", timestamp(ts), customer.email(), customer.country()};
    int kind = (int) (dirtyTurn++ % 10);
    switch (kind) {
      case 0 -> f[0] = "";
      case 1 -> f[3] = "-" + (1 + random.nextInt(3));
      case 2 -> f[4] = "12.5x";
      case 3 -> f[7] = "DOLLARS";
      case 4 -> f[9] = "shipped";
      case 5 -> f[10] = day + " 25:61:00";
      case 6 -> f[5] = Text.money(product.priceCents() * 2);
      case 7 -> {
        files.csv("transactions", day, TRANSACTIONS_HEADER, String.join(",", f) + ",unexpected,extra");
        return;
      }
      default -> {
        // A re-sent transaction: an earlier id again, later and with a new status.
        if (!recentTransactions.isEmpty()) {
          String[] earlier = recentTransactions.get(random.nextInt(recentTransactions.size())).clone();
          earlier[9] = kind == 8 ? "refunded" : earlier[9];
          earlier[10] = timestamp(LocalDateTime.parse(earlier[10].replace("Z", "").replace("+00:00", "")
              .replace(' ', 'T')).plusMinutes(30 + random.nextInt(600)));
          f = earlier;
        }
      }
    }
    writeTransactionLine(day, f);
  }

  private String timestamp(LocalDateTime ts) {
    return switch (random.nextInt(3)) {
      case 0 -> ISO.format(ts) + "Z";
      case 1 -> ISO.format(ts) + "+00:00";
      default -> PLAIN.format(ts);
    };
  }

  private String emailSpelling(String email) {
    return switch (random.nextInt(10)) {
      case 0 -> email.toUpperCase(Locale.ROOT);
      case 1 -> " " + email;
      default -> email;
    };
  }

  private void writePurchaseSession(LocalDate day, Customer customer, Product product, String transactionId,
      LocalDateTime purchaseTs) {
    String session = "S" + (++sessionSeq);
    String device = DEVICES[random.nextInt(DEVICES.length)];
    String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
    String[] steps = {"page_view", "product_view", "add_to_cart", "checkout_start", "purchase"};
    LocalDateTime ts = purchaseTs.minusMinutes(4L + random.nextInt(20));
    for (int i = 0; i < steps.length; i++) {
      LocalDateTime at = i == steps.length - 1 ? purchaseTs : ts.plusMinutes(i);
      writeEvent(day, customer.id(), null, steps[i], at, i == 0 ? "/" : "/product/" + product.id(),
          i == 0 ? null : product.id(), i == steps.length - 1 ? transactionId : null, referrer, device, BROWSER,
          session);
    }
  }

  private void writeBrowsingSessions(LocalDate day, long sessions) {
    String[] types = {"page_view", "product_view", "search", "product_view", "add_to_cart", "remove_from_cart"};
    for (long s = 0; s < sessions; s++) {
      boolean anonymous = random.nextInt(10) < 6;
      String user = anonymous ? null : ref.customers.get(random.nextInt(ref.customers.size())).id();
      String cookie = "A" + (1 + random.nextInt((int) Math.max(10, sessions)));
      boolean bot = random.nextInt(50) == 0;
      String agent = bot ? BOTS[random.nextInt(BOTS.length)] : BROWSER;
      // Some sessions start just before midnight and run into the next day.
      int startSecond = random.nextInt(20) == 0 ? 86_400 - 60 * (1 + random.nextInt(15)) : random.nextInt(86_400);
      LocalDateTime ts = day.atStartOfDay().plusSeconds(startSecond);
      int events = 1 + random.nextInt(6);
      String session = "S" + (++sessionSeq);
      String device = DEVICES[random.nextInt(DEVICES.length)];
      String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
      for (int e = 0; e < events; e++) {
        Product product = ref.products.get(random.nextInt(ref.products.size()));
        String type = e == 0 ? "page_view" : types[random.nextInt(types.length)];
        boolean withProduct = !type.equals("page_view") && !type.equals("search");
        writeEvent(day, user, cookie, type, ts, withProduct ? "/product/" + product.id() : "/",
            withProduct ? product.id() : null, null, referrer, device, agent, session);
        // Mostly short gaps; now and then a pause longer than the 30-minute inactivity gap.
        ts = ts.plusSeconds(random.nextInt(12) == 0 ? 1800 + random.nextInt(3600) : 5 + random.nextInt(600));
      }
    }
  }

  private void writeEvent(LocalDate day, String userId, String anonymousId, String type, LocalDateTime ts,
      String page, String productId, String transactionId, String referrer, String device, String agent,
      String sessionHint) {
    String id = "E" + (++eventSeq);
    String line = "{\"event_id\":" + Text.json(id) + ",\"user_id\":" + Text.json(userId)
        + ",\"anonymous_id\":" + Text.json(anonymousId != null ? anonymousId : "A-" + sessionHint)
        + ",\"event_type\":" + Text.json(type) + ",\"event_ts\":" + Text.json(ISO.format(ts) + "Z")
        + ",\"page_url\":" + Text.json(page) + ",\"product_id\":" + Text.json(productId)
        + ",\"transaction_id\":" + Text.json(transactionId) + ",\"referrer\":" + Text.json(referrer)
        + ",\"device_type\":" + Text.json(device) + ",\"user_agent\":" + Text.json(agent) + "}";
    if (random.nextDouble() < options.dirtyRatio() / 2) {
      switch ((int) (dirtyTurn++ % 4)) {
        case 0 -> files.jsonl("clickstream", day, line); // the same event delivered twice
        case 1 -> line = line.replace("\"event_type\":" + Text.json(type), "\"event_type\":\"teleport\"");
        case 2 -> line = line.replace("\"user_id\":" + Text.json(userId), "\"user_id\":null")
            .replace("\"anonymous_id\":" + Text.json(anonymousId != null ? anonymousId : "A-" + sessionHint),
                "\"anonymous_id\":null");
        default -> line = line.substring(0, line.length() / 2);
      }
    }
    files.jsonl("clickstream", day, line);
  }

  private void writeReview(LocalDate day, Customer customer, Product product, LocalDateTime purchaseTs) {
    String id = String.format("R%08d", ++reviewSeq);
    int rating = 1 + random.nextInt(5);
    String line = "{\"review_id\":" + Text.json(id) + ",\"product_id\":" + Text.json(product.id())
        + ",\"customer_id\":" + Text.json(customer.id()) + ",\"rating\":" + rating
        + ",\"title\":" + Text.json(rating >= 4 ? "Great" : rating == 3 ? "Okay" : "Disappointing")
        + ",\"body\":" + Text.json("Review of " + product.name() + ": \"" + rating + " stars\"")
        + ",\"review_ts\":" + Text.json(ISO.format(purchaseTs.plusMinutes(30 + random.nextInt(600))) + "Z")
        + ",\"verified_purchase\":true}";
    if (random.nextDouble() < options.dirtyRatio() * 5) {
      switch ((int) (dirtyTurn++ % 3)) {
        case 0 -> line = line.replace("\"rating\":" + rating, "\"rating\":6");
        case 1 -> line = line.replace("\"review_id\":" + Text.json(id), "\"review_id\":null");
        default -> files.jsonl("reviews", day, line); // delivered twice
      }
    }
    files.jsonl("reviews", day, line);
  }

  // ---- reference datasets ----

  private void writeCategories(LocalDate day) {
    for (ReferenceData.Category c : ref.categories) {
      files.csv("categories", day, "category_id,category_name,parent_category_id,department",
          String.join(",", c.id(), c.name(), c.parentId() == null ? "" : c.parentId(), c.department()));
    }
  }

  /** The full catalogue on the first day; on the last day, new versions of about 5% of products. */
  private void writeProducts(LocalDate day, boolean updates) {
    int version = 0;
    for (Product p : ref.products) {
      if (updates && random.nextInt(20) != 0) {
        continue;
      }
      long price = updates ? p.priceCents() * (90 + random.nextInt(25)) / 100 : p.priceCents();
      int stock = updates ? random.nextInt(500) : p.stock();
      LocalDateTime updatedAt = day.atStartOfDay().plusMinutes(version++ % 1440);
      String line = "{\"product_id\":" + Text.json(p.id()) + ",\"sku\":" + Text.json(p.sku())
          + ",\"name\":" + Text.json(p.name()) + ",\"category_id\":" + Text.json(p.categoryId())
          + ",\"brand\":" + Text.json(p.brand()) + ",\"price\":" + Text.money(price)
          + ",\"cost\":" + Text.money(p.costCents()) + ",\"currency\":\"USD\",\"stock_quantity\":" + stock
          + ",\"reorder_level\":" + p.reorderLevel() + ",\"is_active\":" + p.active()
          + ",\"attributes\":{\"color\":" + Text.json(p.color()) + ",\"size\":" + Text.json(p.size()) + "}"
          + ",\"updated_at\":" + Text.json(ISO.format(updatedAt) + "Z") + "}";
      if (random.nextDouble() < options.dirtyRatio()) {
        line = switch ((int) (dirtyTurn++ % 3)) {
          case 0 -> line.replace("\"price\":" + Text.money(price), "\"price\":-1.00");
          case 1 -> line.replace("\"product_id\":" + Text.json(p.id()), "\"product_id\":null");
          default -> "{\"product_id\": " + Text.json(p.id()) + ", \"name\": ";
        };
      }
      files.jsonl("products", day, line);
    }
  }

  private void writeFxRates(LocalDate day, double[] fx, int dayIndex) {
    String header = "rate_date,currency,usd_rate";
    for (int c = 0; c < FX_CURRENCIES.length; c++) {
      if (c > 0) {
        fx[c] = fx[c] * (1 + (random.nextDouble() - 0.5) / 100);
      }
      files.csv("fx_rates", day, header, day + "," + FX_CURRENCIES[c] + "," + String.format(Locale.ROOT, "%.8f", fx[c]));
    }
    if (dayIndex == 1 && options.dirtyRatio() > 0) {
      files.csv("fx_rates", day, header, day + ",EUR,n/a");
    }
  }

  private void writeStgCore() {
    Path file = options.out().resolve("mysql").resolve("stg_core.sql");
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write("-- stg_core seed generated by scripts/generate-data.sh (seed " + options.seed() + ").\n"
            + "-- The shop's operational schema (docs/DATA_CONTRACT.md); MySQL 8.0 / MariaDB compatible.\n"
            + "CREATE TABLE IF NOT EXISTS customers (\n  id VARCHAR(16) PRIMARY KEY,\n  email VARCHAR(255),\n"
            + "  full_name VARCHAR(255),\n  country CHAR(2),\n  created_at DATETIME NOT NULL,\n"
            + "  updated_at DATETIME NOT NULL,\n  KEY idx_customers_updated (updated_at, id)\n);\n"
            + "CREATE TABLE IF NOT EXISTS orders (\n  id BIGINT PRIMARY KEY,\n  customer_id VARCHAR(16) NOT NULL,\n"
            + "  status VARCHAR(16) NOT NULL,\n  currency CHAR(3) NOT NULL,\n  total_amount DECIMAL(18,2) NOT NULL,\n"
            + "  created_at DATETIME NOT NULL,\n  updated_at DATETIME NOT NULL,\n"
            + "  KEY idx_orders_updated (updated_at, id)\n);\n"
            + "CREATE TABLE IF NOT EXISTS order_items (\n  id BIGINT PRIMARY KEY,\n  order_id BIGINT NOT NULL,\n"
            + "  product_id VARCHAR(16) NOT NULL,\n  quantity INT NOT NULL,\n  unit_price DECIMAL(12,2) NOT NULL,\n"
            + "  updated_at DATETIME NOT NULL,\n  KEY idx_order_items_updated (updated_at, id)\n);\n");
        String created = PLAIN.format(options.startDate().atStartOfDay().minusDays(30));
        int sqlCustomers = Math.min(ref.customers.size(), MAX_SQL_ORDERS);
        for (int i = 0; i < sqlCustomers; i++) {
          Customer c = ref.customers.get(i);
          w.write((i % 500 == 0 ? (i > 0 ? ";\n" : "") + "INSERT INTO customers VALUES\n" : ",\n")
              + String.format("(%s,%s,%s,%s,%s,%s)", Text.sql(c.id()), Text.sql(c.email()), Text.sql(c.fullName()),
                  Text.sql(c.country()), Text.sql(created), Text.sql(created)));
        }
        w.write(";\n");
        writeInserts(w, "orders", sqlOrders);
        writeInserts(w, "order_items", sqlItems);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeInserts(BufferedWriter w, String table, List<String> rows) throws IOException {
    for (int i = 0; i < rows.size(); i++) {
      w.write((i % 500 == 0 ? (i > 0 ? ";\n" : "") + "INSERT INTO " + table + " VALUES\n" : ",\n") + rows.get(i));
    }
    if (!rows.isEmpty()) {
      w.write(";\n");
    }
  }
}

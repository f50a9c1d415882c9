package io.shoplake.common.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.clickstream.ClickstreamEtl;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.products.ProductEnrichment;
import io.shoplake.common.reviews.ReviewEtl;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import io.shoplake.common.validation.FileValidation;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hand-made bad input, the faults of real exports, across the CSV and JSON datasets, each
 * with its exact expected outcome: processed (with the exact value where the case is about a value),
 * row quarantine with its reason, or file quarantine with its reason. Every job runs on its own, without
 * the validate step before it, as a schedule or an upload would start it; each run must also pass the
 * record invariant (rows produced per file = records counted in the file), which the runner enforces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
  private static final String TX_HEADER = TestLake.TRANSACTIONS_HEADER;
  private static final String DATE = "2025-01-10";
  private static final String LONG_VALUE = "x".repeat(100_000);
  /** True when this JVM can name files with accents: its locale is UTF-8 (sun.jnu.encoding). */
  private static final boolean NAMES_IN_UTF8 = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
      .newEncoder().canEncode("\u00e9");
  private static final String UNICODE_VALUE = "\uD83D\uDCB3 \u30AB\u30FC\u30C9 \u00fc\u00df";

  @TempDir static Path dir;
  private TestLake lake;
  private JobHarness jobs;
  private final Map<String, RunManifest> manifests = new LinkedHashMap<>();
  /** Case name -> what must have happened to it. */
  private final Map<String, Runnable> cases = new LinkedHashMap<>();

  private static String tx(String id, String paymentMethod, String ts) {
    return id + ",C1,P1,1,10.00,0,0,USD," + paymentMethod + ",completed," + ts + ",,US";
  }

  private static String tx(String id) {
    return tx(id, "card", "2025-01-10T10:00:00Z");
  }

  private static String event(String id, String visitor, String ts) {
    return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + visitor + "\",\"anonymous_id\":null,\"event_type\":"
        + "\"page_view\",\"event_ts\":\"" + ts + "\",\"page_url\":\"/\",\"product_id\":null,\"transaction_id\":null,"
        + "\"referrer\":null,\"device_type\":\"mobile\",\"user_agent\":\"Mozilla/5.0\"}";
  }

  private static String event(String id) {
    return event(id, "U" + id, "2025-01-10T10:00:00Z");
  }

  private static String product(String id, String updatedAt) {
    return "{\"product_id\":\"" + id + "\",\"sku\":\"S\",\"name\":\"N\",\"category_id\":\"K1\",\"brand\":\"B\","
        + "\"price\":10.00,\"cost\":5.00,\"currency\":\"USD\",\"stock_quantity\":3,\"reorder_level\":1,"
        + "\"is_active\":true,\"attributes\":{},\"updated_at\":\"" + updatedAt + "\"}";
  }

  private static String review(String id, String rating, String ts) {
    return "{\"review_id\":\"" + id + "\",\"product_id\":\"P1\",\"customer_id\":\"C1\",\"rating\":" + rating
        + ",\"title\":\"t\",\"body\":\"b\",\"review_ts\":\"" + ts + "\",\"verified_purchase\":true}";
  }

  private Path write(String dataset, String name, String content) throws IOException {
    return write(dataset, name, content.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String dataset, String name, byte[] content) throws IOException {
    Path file = lake.root().resolve("raw/" + dataset + "/date=" + DATE + "/" + name);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return file;
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @BeforeAll
  void runEveryJobAloneOnTheCorpus() throws IOException {
    lake = new TestLake(dir.resolve("lake"));
    jobs = new JobHarness(lake);

    // --- transactions: one file with most row-level faults; quoted line breaks make it a whole-file read.
    List<String> rows = new ArrayList<>(List.of(
        tx("T01", "\"card \"\"gold\"\"\"", "2025-01-10T10:00:00Z"),
        tx("T02", "\"two\nlines\"", "2025-01-10T10:00:00Z"),
        tx("T03"),
        "",
        "   \t",
        tx("T04", "card", "2099-01-01T00:00:00Z"),
        "T05,C1,P1",
        tx("T06") + ",extra",
        "T07,C1,P1,two,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        "T08,C1,P1,1,\"10,5\",0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        tx("T09", "card", "15/01/2025 10:00:00"),
        ",CMISSING,P1,1,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        "   ,CBLANK,P1,1,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        tx("T10", "older", "2025-01-10T10:00:00Z"),
        tx("T10", "newer", "2025-01-10T11:00:00Z"),
        tx("T11", LONG_VALUE, "2025-01-10T10:00:00Z"),
        tx("T12", UNICODE_VALUE, "2025-01-10T10:00:00Z"),
        "T13,C1,P1,1,-1.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        "T14,C1,P1,1,10.00,0,0,US$,card,completed,2025-01-10T10:00:00Z,,US",
        "T15,C1,P1,0,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        "T16,C1,P1,1,10.00,20.00,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        tx("T17", "card", "2025-01-10T10:00:00+05:30"),
        "T18,C1,P1,9999999999,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,US",
        "T19,C1,P1,1,10.00,0,0,USD,card,Shipped,2025-01-10T10:00:00Z,,US",
        "T20,C1,P1,1,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,,USA",
        "T26,C1,P1,1,10.00,0,0,USD,card,completed,2025-01-10T10:00:00Z,\"ann@example.com\",\"DE\""));
    write("transactions", "quoting.csv", TX_HEADER + "\n" + String.join("\n", rows) + "\n");
    write("transactions", "crlf-bom.csv", "\uFEFF" + TX_HEADER + "\r\n" + tx("T21") + "\r\n"
        + tx("T22", "\"a\r\nb\"", "2025-01-10T10:00:00Z") + "\r\n");
    write("transactions", "stray-cr.csv", TX_HEADER + "\n" + tx("T23", "a\rb", "2025-01-10T10:00:00Z") + "\n");
    write("transactions", "mac-cr.csv", TX_HEADER + "\r" + tx("T27") + "\r" + tx("T28") + "\r");
    // A Windows export with rows appended by a Unix tool: CRLF and LF line ends in one file.
    write("transactions", "mixed-line-ends.csv", TX_HEADER + "\r\n" + tx("T33") + "\r\n" + tx("T34") + "\n" + tx("T35")
        + "\n" + tx("T36") + "\r\n");
    // A database unload (Snowflake, Oracle) names its columns in capitals.
    // File names as exports and people make them: a time stamp (a ':' Hadoop cannot take), spaces and brackets,
    // accents, a percent sign and a hash.
    write("transactions", "export 2025-01-10T10:00:00.csv", TX_HEADER + "\n" + tx("T40") + "\n");
    write("transactions", "sales 2025 (1).csv", TX_HEADER + "\n" + tx("T41") + "\n");
    // Under a locale that is not UTF-8 (LANG=C) Java cannot name such a file at all (docs/OPERATIONS.md, the locale).
    write("transactions", (NAMES_IN_UTF8 ? "r\u00e9sum\u00e9" : "resume") + " %20 #2.csv", TX_HEADER + "\n" + tx("T42")
        + "\n");
    write("transactions", "a+b c.csv", TX_HEADER + "\n" + tx("T43") + "\n");
    // Characters Spark's readers take as a pattern: read as one, such a name matched nothing and failed the job.
    write("transactions", "sales[1].csv", TX_HEADER + "\n" + tx("T46") + "\n");
    write("transactions", "back\\slash {v2} *final?.csv", TX_HEADER + "\n" + tx("T47") + "\n");
    // A corrupt line of more fields than Spark's CSV reader takes: it failed the whole read, on every rerun.
    write("transactions", "corrupt-wide-line.csv", TX_HEADER + "\n" + tx("T49") + "\nT50" + ",".repeat(25_000) + "\n");
    // A zstd export (Snowflake, Kafka Connect): Hadoop's codec needs a native library, and the check failed on it.
    write("transactions", "unload.csv.zst", TX_HEADER + "\n" + tx("T52") + "\n");
    // A copy cut off in 'hadoop fs -put': Spark's readers skip its temporary name, so it was counted but never read.
    write("transactions", "cut-off-copy.csv._COPYING_", TX_HEADER + "\n" + tx("T51") + "\n");
    // Sentinel times of other systems (.NET's DateTime.MinValue): valid by the contract, before Parquet's 1900 limit.
    write("transactions", "sentinel-time.csv", TX_HEADER + "\n" + tx("T48", "card", "0001-01-01T00:00:00Z") + "\n");
    // A landing zone's gzipped export, and one cut short in transfer.
    byte[] gzipped = gzip(TX_HEADER + "\n" + tx("T38") + "\n" + tx("T39", "\"two\nlines\"", "2025-01-10T10:00:00Z") + "\n");
    write("transactions", "gzipped.csv.gz", gzipped);
    write("transactions", "cut-short.csv.gz", java.util.Arrays.copyOf(gzipped, gzipped.length / 2));
    write("transactions", "uppercase-header.csv", TX_HEADER.toUpperCase(java.util.Locale.ROOT) + "\n" + tx("T37") + "\n");
    // A spreadsheet's export with two empty columns after the last one: a trailing ",," on every line.
    write("transactions", "trailing-commas.csv", TX_HEADER + ",,\n" + tx("T29") + ",,\n");
    // A space after each comma, before quoted fields: read as unquoted, the values would keep their quotes.
    write("transactions", "spaces-before-quotes.csv", TX_HEADER + "\n"
        + "T45, \"C45\", \"P1\", 1, 10.00, 0, 0, USD, \"card\", completed, 2025-01-10T10:00:00Z, , US\n");
    // Columns the contract does not have, named alike but for letter case (one name to Spark).
    write("transactions", "extra-columns-by-case.csv", TX_HEADER + ",note,NOTE\n" + tx("T44") + ",a,b\n");
    write("transactions", "truncated.csv", TX_HEADER + "\n" + tx("T24") + "\n"
        + "T25,C1,P1,1,10.00,0,0,USD,\"card,completed,2025-01-10T10:00:00Z,,US");
    write("transactions", "header-only.csv", TX_HEADER + "\n");
    write("transactions", "zero-bytes.csv", new byte[0]);
    write("transactions", "latin1.csv", (TX_HEADER + "\n" + tx("T30", "m\u00fcnze", "2025-01-10T10:00:00Z") + "\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    byte[] binary = new byte[4096];
    new java.util.Random(7).nextBytes(binary);
    write("transactions", "binary.csv", binary);
    write("transactions", "headerless.csv", tx("T31") + "\n" + tx("T32") + "\n");
    write("transactions", "resent-crlf-bom.csv", Files.readAllBytes(
        lake.root().resolve("raw/transactions/date=" + DATE + "/crlf-bom.csv")));
    write("fx_rates", "fx.csv", "rate_date,currency,usd_rate\n2025-01-10,USD,1.0\n2099-01-01,EUR,1.1\n");

    // --- categories (CSV) and products (JSON Lines)
    write("categories", "c.csv", "category_id,category_name,parent_category_id,department\n"
        + "K1,\"Kids \"\"Toys\"\"\",,Toys\nK2,\"Multi\nline\",K1,Toys\n");
    List<String> products = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      products.add(product("P" + i, "2025-01-10T00:00:00Z"));
    }
    products.add(product("P40", "2099-01-01T00:00:00Z"));
    products.add("[" + product("P41", "2025-01-10T00:00:00Z") + "]");
    // Numbers as Java and Python write them: a price in rupiah past 10^7, and one in exponent form.
    products.add(product("P42", "2025-01-10T00:00:00Z").replace("\"price\":10.00", "\"price\":12500000.00"));
    products.add(product("P43", "2025-01-10T00:00:00Z").replace("\"price\":10.00", "\"price\":1.0624E2"));
    write("products", "p.jsonl", String.join("\n", products) + "\n");

    // --- clickstream: 80 good events and one line of each JSON Lines fault (under the file-level share).
    List<String> events = new ArrayList<>();
    for (int i = 1; i <= 80; i++) {
      events.add(event(String.format("E%03d", i)));
    }
    events.addAll(List.of(
        "[" + event("E101") + "]",
        event("E102") + event("E103"),
        event("E104") + " trailing",
        event("E105").replace("{\"event_id\":\"E105\"", "{\"event_id\":\"E105\",\"event_id\":\"E105b\""),
        "\"just a string\"",
        "{\"event_id\":\"E106\",\"user_id\":",
        event("E107").replace("\"E107\"", "null").replace("\"event_type\"", "\"marker\":\"E107\",\"event_type\""),
        event("E108", "UE108", "2099-06-01T00:00:00Z"),
        "",
        "  "));
    write("clickstream", "events.jsonl", String.join("\n", events) + "\n");
    write("clickstream", "crlf-bom.jsonl", "\uFEFF" + event("E110") + "\r\n" + event("E111") + "\r\n");
    write("clickstream", "gzipped.jsonl.gz", gzip(event("E130") + "\n" + event("E131") + "\n"));
    // A database unload's JSON: the contract's keys in capitals.
    write("clickstream", "upper-keys.jsonl", java.util.regex.Pattern.compile("\"([a-z_]+)\":").matcher(event("E140"))
        .replaceAll(key -> "\"" + key.group(1).toUpperCase(java.util.Locale.ROOT) + "\":") + "\n");
    write("clickstream", "events[2].jsonl", event("E150") + "\n");
    write("clickstream", "all-arrays.jsonl", "[" + event("E120") + "]\n[" + event("E121") + "]\n");

    // --- reviews
    List<String> reviews = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      reviews.add(review("R" + i, "4", "2025-01-10T10:00:00Z"));
    }
    reviews.addAll(List.of(review("R91", "\"5.0\"", "2025-01-10T10:00:00Z"), review("R92", "6", "2025-01-10T10:00:00Z"),
        review("R93", "3", "2099-01-01T00:00:00Z"), review("R94", "4", "1899-12-30 00:00:00")));
    write("reviews", "r.jsonl", String.join("\n", reviews) + "\n");

    for (LakeJob job : List.of(new TransactionEtl(), new ProductEnrichment(), new ReviewEtl(), new ClickstreamEtl())) {
      JobOutcome outcome = jobs.run(job);
      assertEquals(0, outcome.exitCode(), job.name() + ": " + jobs.stderr());
      manifests.put(job.name(), outcome.manifest().orElseThrow());
    }
    defineCases();
  }

  private void defineCases() {
    processed("doubled quotes in a quoted CSV field are one quote", "transactions", "T01", "payment_method", "card \"gold\"");
    processed("a quoted CSV field holds a line break", "transactions", "T02", "payment_method", "two\nlines");
    processed("an ordinary row beside the faults", "transactions", "T03", null, null);
    rowQuarantined("a transaction in 2099", "transactions", "T04", "future_transaction_ts");
    rowQuarantined("too few fields", "transactions", "T05", "malformed_row");
    rowQuarantined("too many fields", "transactions", "T06", "malformed_row");
    rowQuarantined("a quantity in words", "transactions", "T07", "invalid_quantity");
    rowQuarantined("a decimal comma", "transactions", "T08", "invalid_unit_price");
    rowQuarantined("a day-first date", "transactions", "T09", "invalid_transaction_ts");
    rowQuarantined("an empty key", "transactions", "CMISSING", "missing_transaction_id");
    rowQuarantined("a blank key", "transactions", "CBLANK", "missing_transaction_id");
    processed("of two versions with different times the later is kept", "transactions", "T10", "payment_method", "newer");
    rowQuarantined("the earlier version is a duplicate", "transactions", "older", "duplicate");
    processed("a 100 KB field arrives whole", "transactions", "T11", "payment_method", LONG_VALUE);
    processed("emoji, kana and umlauts arrive byte-exact", "transactions", "T12", "payment_method", UNICODE_VALUE);
    rowQuarantined("a negative price", "transactions", "T13", "negative_unit_price");
    rowQuarantined("a currency that is not ISO 4217", "transactions", "T14", "invalid_currency");
    rowQuarantined("a zero quantity", "transactions", "T15", "non_positive_quantity");
    rowQuarantined("a discount above the gross amount", "transactions", "T16", "discount_exceeds_gross");
    processed("an offset time is converted to UTC", "transactions", "T17", "hour", 4);
    rowQuarantined("a quantity beyond int", "transactions", "T18", "invalid_quantity");
    rowQuarantined("a status outside the list", "transactions", "T19", "invalid_status");
    rowQuarantined("a three-letter country", "transactions", "T20", "invalid_shipping_country");
    processed("quoted plain fields", "transactions", "T26", "shipping_country", "DE");
    processed("a BOM and CRLF line ends", "transactions", "T21", null, null);
    processed("a quoted CRLF in a CRLF file reads as \\n", "transactions", "T22", "payment_method", "a\nb");
    processed("a stray CR inside an unquoted field stays in it", "transactions", "T23", "payment_method", "a\rb");
    processed("lone CR line ends (Excel for Mac's CSV): the first row", "transactions", "T27", null, null);
    processed("lone CR line ends (Excel for Mac's CSV): the last row", "transactions", "T28", "payment_method", "card");
    processed("CRLF and LF line ends in one file: a CRLF row", "transactions", "T33", null, null);
    processed("CRLF and LF line ends in one file: an LF row", "transactions", "T34", null, null);
    processed("CRLF and LF line ends in one file: the row after an LF row", "transactions", "T35", null, null);
    processed("CRLF and LF line ends in one file: the last row", "transactions", "T36", "payment_method", "card");
    processed("a header in capitals", "transactions", "T37", "shipping_country", "US");
    fileQuarantined("a ':' in the file name", "transactions", "export 2025-01-10T10:00:00.csv", "unsupported_name");
    notProcessed("the row of a file whose name has a ':'", "transactions", "T40");
    processed("spaces and brackets in the file name", "transactions", "T41", null, null);
    processed("accents, '%' and '#' in the file name", "transactions", "T42", null, null);
    processed("a '+' beside a space in the file name", "transactions", "T43", "source_file",
        "raw/transactions/date=" + DATE + "/a+b c.csv");
    processed("brackets in the file name", "transactions", "T46", null, null);
    processed("a backslash, braces, '*' and '?' in the file name", "transactions", "T47", "source_file",
        "raw/transactions/date=" + DATE + "/back\\slash {v2} *final?.csv");
    processed("a gzipped CSV file", "transactions", "T38", null, null);
    notProcessed("the row of a copy in progress (._COPYING_)", "transactions", "T51");
    fileQuarantined("a zstd-compressed file", "transactions", "unload.csv.zst", "unsupported_compression");
    fileQuarantined("a line of 25,001 fields", "transactions", "corrupt-wide-line.csv", "too_many_fields");
    notProcessed("the good row of a file with a line of 25,001 fields", "transactions", "T49");
    // The partition year, not the timestamp: java.sql.Timestamp shows a time before 1582 in another calendar.
    processed("a time before 1900 (a sentinel of another system)", "transactions", "T48", "year", 1);
    processed("Excel's day zero as a review time", "reviews", "R94", "year", 1899);
    processed("a quoted line break in a gzipped CSV file", "transactions", "T39", "payment_method", "two\nlines");
    fileQuarantined("a gzipped file cut short", "transactions", "cut-short.csv.gz", "corrupt_compression");
    fileQuarantined("quoted fields after a space", "transactions", "spaces-before-quotes.csv", "quote_after_space");
    notProcessed("the row of a file with quoted fields after a space", "transactions", "T45");
    processed("two unnamed columns from trailing commas are left out", "transactions", "T29", "shipping_country",
        "US");
    processed("extra columns whose names differ only in letter case are left out", "transactions", "T44",
        "shipping_country", "US");
    processed("the good line before a truncated one", "transactions", "T24", null, null);
    rowQuarantined("a last line cut inside a quote", "transactions", "T25", "malformed_row");
    fileQuarantined("a header and no rows", "transactions", "header-only.csv", "empty");
    fileQuarantined("zero bytes", "transactions", "zero-bytes.csv", "empty");
    fileQuarantined("Latin-1, not UTF-8", "transactions", "latin1.csv", "not_utf8");
    fileQuarantined("binary garbage", "transactions", "binary.csv", "not_utf8");
    fileQuarantined("no header line", "transactions", "headerless.csv", "missing_columns");
    fileQuarantined("the same file again under another name", "transactions", "resent-crlf-bom.csv",
        "duplicate_content");
    rowQuarantined("an FX rate dated 2099", "fx_rates", "2099-01-01", "future_rate_date");
    processed("doubled quotes in a category name", "categories", "K1", "category_name", "Kids \"Toys\"");
    processed("a line break in a quoted category name", "categories", "K2", "category_name", "Multi\nline");
    rowQuarantined("a product updated in 2099", "products", "P40", "future_updated_at");
    rowQuarantined("a product line that is an array", "products", "P41", "json_array_line");
    processed("a price past ten million (once read through a double as 1.25E7)", "products", "P42", "price",
        new java.math.BigDecimal("12500000.00"));
    processed("a price in exponent form", "products", "P43", "price", new java.math.BigDecimal("106.24"));
    processed("an ordinary event", "clickstream_events", "E001", null, null);
    rowQuarantined("an event line that is an array of one object", "clickstream", "E101", "json_array_line");
    rowQuarantined("two objects on one line", "clickstream", "E102", "json_several_objects");
    notProcessed("the second object of that line is not taken either", "clickstream_events", "E103");
    rowQuarantined("an object followed by text", "clickstream", "E104", "json_trailing_text");
    rowQuarantined("a repeated key", "clickstream", "E105", "json_duplicate_key");
    rowQuarantined("a JSON string, not an object", "clickstream", "just a string", "json_not_object");
    rowQuarantined("a truncated line", "clickstream", "E106", "malformed_row");
    rowQuarantined("a null event id", "clickstream", "UE107", "missing_event_id");
    rowQuarantined("an event in 2099", "clickstream", "E108", "future_event_ts");
    processed("a BOM and CRLF in JSON Lines", "clickstream_events", "E111", null, null);
    processed("a gzipped JSON Lines file", "clickstream_events", "E131", null, null);
    processed("brackets in a JSON Lines file's name", "clickstream_events", "E150", "source_file",
        "raw/clickstream/date=" + DATE + "/events[2].jsonl");
    fileQuarantined("a file of JSON arrays", "clickstream", "all-arrays.jsonl", "not_json_lines");
    fileQuarantined("JSON keys in capitals", "clickstream", "upper-keys.jsonl", "missing_columns");
    rowQuarantined("a rating written as a decimal string", "reviews", "R91", "invalid_rating");
    rowQuarantined("a rating of 6", "reviews", "R92", "rating_out_of_range");
    rowQuarantined("a review from 2099", "reviews", "R93", "future_review_ts");
  }

  @TestFactory
  Stream<DynamicTest> everyCaseHasItsExactOutcome() {
    assertTrue(cases.size() >= 30, "a corpus of at least 30 kinds");
    return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), c.getValue()::run));
  }

  @Test
  void everyRunAccountsForEveryRecordOfEveryFile() throws IOException {
    JsonNode registry = new ObjectMapper().readTree(lake.root().resolve("_state/validate/files.json").toFile());
    Map<String, Long> recordsByDataset = new LinkedHashMap<>();
    StringBuilder listing = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = registry.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> named = it.next();
      JsonNode entry = named.getValue();
      listing.append(named.getKey()).append(' ').append(entry.get("verdict").asText()).append(' ')
          .append(entry.get("records")).append('\n');
      if (entry.get("verdict").asText().equals("accepted")) {
        recordsByDataset.merge(entry.get("dataset").asText(), entry.get("records").asLong(), Long::sum);
      }
    }
    // quoting.csv holds 24 records (its two blank lines are none), crlf-bom 2, stray-cr 1, truncated 2, mac-cr 2,
    // trailing-commas 1, extra-columns-by-case 1, mixed-line-ends 4, uppercase-header 1, gzipped 2, odd names 5,
    // sentinel-time 1.
    assertEquals(46L, recordsByDataset.get("transactions"), listing.toString());
    assertEquals(recordsByDataset.get("transactions"), manifests.get("transactions").getRowsRead());
    assertEquals(recordsByDataset.get("products"), manifests.get("products").getRowsRead());
    assertEquals(recordsByDataset.get("reviews"), manifests.get("reviews").getRowsRead());
    // 88 non-blank lines + 2 in the CRLF file + 2 gzipped + 1 in a file whose name has brackets
    assertEquals(93L, recordsByDataset.get("clickstream"));
    assertEquals(recordsByDataset.get("clickstream"), manifests.get("clickstream").getRowsRead());
    for (RunManifest m : manifests.values()) {
      assertEquals(m.getRowsRead(), m.getRowsWritten() + m.getRowsRejected() + m.getRowsSkipped(), m.getJob());
    }
  }

  @Test
  void noPartitionOfTheFutureAppears() throws IOException {
    try (Stream<Path> paths = Files.walk(lake.root())) {
      assertTrue(paths.noneMatch(p -> p.toString().contains("year=2099") || p.toString().contains("date=2099")));
    }
  }

  @Test
  void validateAfterTheJobsFindsEveryFileCheckedAlready() {
    JobOutcome outcome = jobs.run(new FileValidation());
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(0, m.getRowsRead(), "the jobs checked and recorded every file; validate checks none again");
    assertFalse(((Number) m.getMetrics().get("files_already_checked")).longValue() == 0);
  }

  private void processed(String name, String dataset, String id, String column, Object expected) {
    cases.put("processed: " + name, () -> {
      String key = keyColumn(dataset);
      List<Row> found = jobs.read("processed/" + dataset).filter(org.apache.spark.sql.functions.col(key).equalTo(id))
          .collectAsList();
      assertEquals(1, found.size(), id + " in processed/" + dataset);
      if (column != null) {
        assertEquals(expected, found.get(0).getAs(column), id + "." + column);
      }
      assertEquals(0, quarantined(dataset.equals("clickstream_events") ? "clickstream" : dataset, id).stream()
          .filter(r -> !"duplicate".equals(r.getAs("reject_reason"))).count(), () -> id + " must not also be quarantined: "
          + quarantined(dataset.equals("clickstream_events") ? "clickstream" : dataset, id));
    });
  }

  private void notProcessed(String name, String dataset, String id) {
    cases.put("not processed: " + name, () -> assertEquals(0, jobs.read("processed/" + dataset)
        .filter(org.apache.spark.sql.functions.col(keyColumn(dataset)).equalTo(id)).count(), id));
  }

  private void rowQuarantined(String name, String dataset, String marker, String reason) {
    cases.put("quarantined as " + reason + ": " + name, () -> {
      List<Row> found = quarantined(dataset, marker);
      assertEquals(1, found.size(), marker + " in quarantine/" + dataset);
      assertEquals(reason, found.get(0).getAs("reject_reason"), marker);
    });
  }

  private void fileQuarantined(String name, String dataset, String file, String reason) {
    cases.put("file quarantined as " + reason + ": " + name, () -> {
      Path record = lake.root().resolve("quarantine/_files/" + dataset + "/date=" + DATE + "/" + file.replace(':', '_')
          + ".reason.json");
      try {
        assertEquals(reason, new ObjectMapper().readTree(record.toFile()).get("reason").asText(), file);
      } catch (IOException e) {
        throw new AssertionError("no file quarantine record for " + file, e);
      }
    });
  }

  /** Quarantined rows of {@code dataset} with {@code marker} as a field's value, or in the line that did not parse. */
  private List<Row> quarantined(String dataset, String marker) {
    Path folder = lake.root().resolve("quarantine/" + dataset);
    if (!Files.exists(folder)) {
      return List.of();
    }
    Dataset<Row> rows = SharedSpark.get().read().parquet(folder.toString());
    org.apache.spark.sql.Column any = org.apache.spark.sql.functions.lit(false);
    for (String c : rows.columns()) {
      if (c.equals("raw_line")) {
        any = any.or(org.apache.spark.sql.functions.col(c)
            .rlike("(^|[^A-Za-z0-9])" + java.util.regex.Pattern.quote(marker) + "([^A-Za-z0-9]|$)"));
      } else if (!List.of("reject_reason", "source_file", "raw_date", "run_id", "date").contains(c)) {
        any = any.or(org.apache.spark.sql.functions.col(c).cast("string").equalTo(marker));
      }
    }
    return rows.filter(any).collectAsList();
  }

  private static String keyColumn(String dataset) {
    return switch (dataset) {
      case "transactions" -> "transaction_id";
      case "categories" -> "category_id";
      case "products" -> "product_id";
      case "clickstream_events" -> "event_id";
      case "reviews" -> "review_id";
      default -> throw new IllegalArgumentException(dataset);
    };
  }
}

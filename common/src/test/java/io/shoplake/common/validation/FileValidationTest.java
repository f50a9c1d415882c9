package io.shoplake.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.TestLake;
import io.shoplake.common.transactions.TransactionEtl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileValidationTest {
  private static final String TX = "T1,C1,P1,1,10.00,0,0,USD,card,completed,2025-01-01T10:00:00Z,a@example.com,US";
  private static final String EVENT = "{\"event_id\":\"E1\",\"event_type\":\"page_view\"}";

  @TempDir Path dir;

  @Test
  void eachFileRuleRejectsItsFileAndTheOthersGoOn() throws IOException {
    TestLake lake = new TestLake(dir.resolve("lake"));
    lake.writeTransactions("2025-01-01", "good.csv", List.of(TX));
    lake.writeTransactions("2025-01-01", "same-content-new-name.csv", List.of(TX));
    lake.writeRaw("transactions", "2025-01-01", "header-only.csv", TestLake.TRANSACTIONS_HEADER, List.of());
    lake.writeRaw("transactions", "2025-01-01", "zero-bytes.csv", null, List.of());
    lake.writeRaw("transactions", "2025-01-01", "no-currency.csv",
        TestLake.TRANSACTIONS_HEADER.replace(",currency", ""), List.of("T2,C1,P1,1,10.00,0,0,card,completed,x,y,US"));
    lake.writeRaw("transactions", "2025-01-01", "twice.csv", TestLake.TRANSACTIONS_HEADER + ",status",
        List.of(TX + ",x"));
    lake.writeRaw("transactions", "2025-01-02", "reordered-with-extra.csv",
        "note," + TestLake.TRANSACTIONS_HEADER, List.of("hello,T3" + TX.substring(2)));
    Path latin1 = lake.writeTransactions("2025-01-02", "latin1.csv", List.of("x"));
    Files.write(latin1, (TestLake.TRANSACTIONS_HEADER + "\nT4,C1,P1,1,10.00,0,0,EUR,card,completed,"
        + "2025-01-02T10:00:00Z,m\u00fcller@example.com,DE\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    lake.writeJsonLines("clickstream", "2025-01-01", "csv-not-json.jsonl", List.of("event_id,event_type", "E1,view"));
    lake.writeJsonLines("clickstream", "2025-01-01", "mostly-broken.jsonl", List.of(EVENT, "{oops", "[1]", "2"));
    lake.writeJsonLines("clickstream", "2025-01-01", "one-bad-line.jsonl",
        List.of(EVENT, EVENT, EVENT, EVENT, EVENT, EVENT, EVENT, EVENT, EVENT, EVENT, "{oops"));
    lake.writeJsonLines("clickstream", "2025-01-02", "with-bom.jsonl", List.of("\uFEFF" + EVENT.replace("E1", "E2")));
    lake.writeJsonLines("reviews", "2025-01-01", "big.jsonl", List.of("{\"review_id\":\"" + "x".repeat(1200) + "\"}"));
    Path conf = dir.resolve("limits.conf");
    Files.writeString(conf, "shoplake.validate.max-file-size = 1000 bytes\n");

    JobHarness jobs = new JobHarness(lake);
    JobOutcome outcome = jobs.run(new FileValidation(), "--config-file", conf.toString());

    assertEquals(0, outcome.exitCode(), jobs.stderr());
    RunManifest m = outcome.manifest().orElseThrow();
    assertEquals(Map.of("duplicate_content", 1L, "empty", 2L, "missing_columns", 1L, "repeated_columns", 1L,
        "not_utf8", 1L, "not_json_lines", 2L, "too_large", 1L), m.getRejectedByReason());
    assertEquals(13, m.getRowsRead());
    assertEquals(4, m.getRowsWritten()); // good, reordered-with-extra, one-bad-line, with-bom
    assertTrue(m.getWarnings().contains(
        "raw/transactions/date=2025-01-02/reordered-with-extra.csv: extra columns [\"note\"] (not read)"), m.getWarnings().toString());
    assertTrue(m.getWarnings().stream().anyMatch(w -> w.startsWith(
        "rejected raw/transactions/date=2025-01-01/same-content-new-name.csv: duplicate_content (same content")
        && w.endsWith("as raw/transactions/date=2025-01-01/good.csv)")), m.getWarnings().toString());
    assertTrue(m.getWarnings().contains("rejected raw/transactions/date=2025-01-02/latin1.csv: not_utf8"
        + " (line 2 is not valid UTF-8: byte 0xFC at byte 63 of the line (a Latin-1 or Windows-1252 export? the raw"
        + " zone takes UTF-8))"), m.getWarnings().toString());

    // A reason record and a copy; the original stays in raw/.
    Path folder = lake.root().resolve("quarantine/_files/transactions/date=2025-01-01");
    JsonNode record = new ObjectMapper().readTree(folder.resolve("no-currency.csv.reason.json").toFile());
    assertEquals("missing_columns", record.get("reason").asText());
    assertEquals("raw/transactions/date=2025-01-01/no-currency.csv", record.get("file").asText());
    assertEquals(m.getRunId(), record.get("run_id").asText());
    assertTrue(Files.exists(folder.resolve("no-currency.csv")));
    assertTrue(Files.exists(lake.root().resolve("raw/transactions/date=2025-01-01/no-currency.csv")));
    JsonNode tooLarge = new ObjectMapper().readTree(
        lake.root().resolve("quarantine/_files/reviews/date=2025-01-01/big.jsonl.reason.json").toFile());
    assertFalse(tooLarge.get("copied").asBoolean());
    assertFalse(Files.exists(lake.root().resolve("quarantine/_files/reviews/date=2025-01-01/big.jsonl")));

    // The transaction job reads only the accepted files, and says which it left out.
    JobOutcome etl = jobs.run(new TransactionEtl());
    assertEquals(0, etl.exitCode(), jobs.stderr());
    RunManifest t = etl.manifest().orElseThrow();
    assertEquals(List.of("raw/transactions/date=2025-01-01/good.csv",
            "raw/transactions/date=2025-01-02/reordered-with-extra.csv"),
        t.getInputFiles().stream().map(RunManifest.InputFileEntry::path).toList());
    assertEquals(2, t.getRowsWritten());
    assertEquals(6, t.getWarnings().stream().filter(w -> w.startsWith("not read: ")).count(), t.getWarnings().toString());
  }

  @Test
  void checksOnlyNewOrChangedFilesAndRecognisesARedeliveryUnderAnotherName() throws IOException {
    TestLake lake = new TestLake(dir.resolve("again"));
    lake.writeTransactions("2025-01-01", "a.csv", List.of(TX));
    JobHarness jobs = new JobHarness(lake);
    assertEquals(1, jobs.run(new FileValidation()).manifest().orElseThrow().getRowsWritten());

    RunManifest second = jobs.run(new FileValidation()).manifest().orElseThrow();
    assertEquals(0, second.getRowsRead());
    assertEquals(1L, ((Number) second.getMetrics().get("files_already_checked")).longValue());

    // The same content delivered a day later under another name is a duplicate of the file already accepted.
    lake.writeTransactions("2025-01-02", "a-resent.csv", List.of(TX));
    RunManifest third = jobs.run(new FileValidation()).manifest().orElseThrow();
    assertEquals(Map.of("duplicate_content", 1L), third.getRejectedByReason());

    // A rejected file that is replaced by a corrected one is checked again and accepted.
    Path resent = lake.writeTransactions("2025-01-02", "a-resent.csv",
        List.of(TX.replace("T1,", "T9,")));
    Files.setLastModifiedTime(resent, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    RunManifest fourth = jobs.run(new FileValidation()).manifest().orElseThrow();
    assertEquals(1, fourth.getRowsRead());
    assertEquals(1, fourth.getRowsWritten());
  }

  @Test
  void rawFoldersThatAreNotThereAreNamedAndAllOfThemMissingPointsAtTheLakeRoot() {
    TestLake lake = new TestLake(dir.resolve("partial"));
    lake.writeTransactions("2025-01-01", "a.csv", List.of(TX));
    JobHarness jobs = new JobHarness(lake);
    List<String> partial = jobs.run(new FileValidation()).manifest().orElseThrow().getWarnings();
    String missing = partial.stream().filter(w -> w.startsWith("no raw folder for ")).findFirst().orElseThrow();
    assertTrue(missing.contains("clickstream") && !missing.contains("transactions") && !missing.contains("none at all"),
        missing);

    JobHarness empty = new JobHarness(new TestLake(dir.resolve("typo")));
    JobOutcome none = empty.run(new FileValidation());
    assertEquals(0, none.exitCode(), empty.stderr());
    assertTrue(none.manifest().orElseThrow().getWarnings().stream()
        .anyMatch(w -> w.endsWith("(none at all: is the lake root right?)")), none.manifest().toString());
  }

  @Test
  void aFileRejectedByAnOlderVersionOfTheChecksIsCheckedAgainAndAcceptedOnesStand() throws Exception {
    TestLake lake = new TestLake(dir.resolve("lake-upgrade"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeTransactions("2025-01-01", "a.csv", List.of(TX));
    lake.writeTransactions("2025-01-01", "b.csv", List.of(TX.replace("T1,", "T2,")));
    assertEquals(2, jobs.run(new FileValidation()).manifest().orElseThrow().getRowsWritten());
    // As an older version left the registry: b.csv rejected (say, before header names of any case were
    // read), and no entry says which checks gave the verdicts.
    Path registry = dir.resolve("lake-upgrade/_state/validate/files.json");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode entries =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(registry.toFile());
    entries.fields().forEachRemaining(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.getValue()).remove("checks"));
    com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode)
        entries.get("raw/transactions/date=2025-01-01/b.csv");
    b.put("verdict", "rejected").put("reason", "missing_columns");
    json.writeValue(registry.toFile(), entries);
    Files.deleteIfExists(registry.resolveSibling(".files.json.crc")); // Hadoop's checksum of the old text


    JobOutcome run = jobs.run(new FileValidation());
    assertEquals(0, run.exitCode(), jobs.stderr());
    RunManifest upgraded = run.manifest().orElseThrow();
    assertEquals(1, upgraded.getRowsRead(), "only the rejected file is checked again");
    assertEquals(1, upgraded.getRowsWritten());
    assertEquals(1L, ((Number) upgraded.getMetrics().get("files_already_checked")).longValue());
  }
}

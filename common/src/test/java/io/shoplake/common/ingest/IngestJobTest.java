package io.shoplake.common.ingest;

import static io.shoplake.common.testing.DataFrameAssert.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.common.job.JobOutcome;
import io.shoplake.common.manifest.RunManifest;
import io.shoplake.common.testing.JobHarness;
import io.shoplake.common.testing.SharedSpark;
import io.shoplake.common.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic file processor on hand-written files: inference, rerun, evolution, rejects. */
class IngestJobTest {
  @TempDir Path dir;

  @Test
  void infersRecordsAndEvolvesTheContractOfACsvDataset() throws Exception {
    TestLake lake = new TestLake(dir.resolve("lake"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeRaw("orders", "2025-01-01", "a.csv", "Order ID,qty,price,ordered_at,note", List.of(
        "1,2,9.99,2025-01-01T10:00:00Z,\"first, with comma\"",
        "2,1,10.50,2025-01-01 11:00:00,",
        "3,x,1.00,2025-01-01T12:00:00Z,bad qty"));

    JobOutcome first = jobs.run(new IngestJob(), "--dataset", "orders");
    assertEquals(0, first.exitCode(), jobs.stderr());
    RunManifest m1 = first.manifest().orElseThrow();
    assertEquals(3, m1.getRowsRead());
    // "x" is in the sample, so qty is text; every row fits.
    assertEquals(Map.of(), m1.getRejectedByReason());
    ContractStore store = new ContractStore(lake.uri(), "orders", SharedSpark.get().sparkContext().hadoopConfiguration());
    SchemaContract v1 = store.latest().orElseThrow();
    assertEquals(1, v1.version());
    assertEquals("struct<order_id:int,qty:string,price:decimal(4,2),ordered_at:timestamp,note:string>",
        v1.schema().simpleString());
    Dataset<Row> processed = jobs.read("processed/orders");
    assertSameRows(SharedSpark.get().sql("select * from values (1, '2', 9.99BD, 'first, with comma', 'ingest',"
            + " 'raw/orders/date=2025-01-01/a.csv', 2025, 1, 1), (2, '1', 10.50BD, null, 'ingest',"
            + " 'raw/orders/date=2025-01-01/a.csv', 2025, 1, 1), (3, 'x', 1.00BD, 'bad qty', 'ingest',"
            + " 'raw/orders/date=2025-01-01/a.csv', 2025, 1, 1)"
            + " as t(order_id, qty, price, note, processing_job, source_file, year, month, day)")
            .selectExpr("order_id", "qty", "cast(price as decimal(4,2)) price", "note", "processing_job", "source_file",
                "year", "month", "day"),
        processed.select("order_id", "qty", "price", "note", "processing_job", "source_file", "year", "month", "day"));
    assertEquals(3, processed.filter("processed_at is not null and ordered_at is not null").count());

    // A rerun with nothing new does nothing and records no new version.
    JobOutcome again = jobs.run(new IngestJob(), "--dataset", "orders");
    assertEquals(0, again.exitCode(), jobs.stderr());
    assertEquals(0, again.manifest().orElseThrow().getRowsRead());
    assertEquals(1, store.versions().size());

    // A later file with a new column and a wider id: one new version; older rows read coupon as null.
    lake.writeRaw("orders", "2025-01-02", "b.csv", "Order ID,qty,price,ordered_at,note,coupon", List.of(
        "40000000000,3,5.00,2025-01-02T10:00:00Z,n,SAVE10",
        "5,4,abc,2025-01-02T11:00:00Z,n,"));
    // A file that dropped note: read as null there, reported.
    lake.writeRaw("orders", "2025-01-03", "c.csv", "Order ID,qty,price,ordered_at", List.of(
        "6,1,2.00,2025-01-03T10:00:00Z"));
    // A file whose price is now text: quarantined whole, naming the column and both types; the job goes on.
    lake.writeRaw("orders", "2025-01-03", "d.csv", "Order ID,qty,price,ordered_at,note", List.of(
        "7,1,free,2025-01-03T10:00:00Z,n", "8,1,gratis,2025-01-03T10:00:00Z,n"));
    JobOutcome evolved = jobs.run(new IngestJob(), "--dataset", "orders");
    assertEquals(0, evolved.exitCode(), jobs.stderr());
    RunManifest m2 = evolved.manifest().orElseThrow();
    SchemaContract latest = store.latest().orElseThrow();
    assertEquals(2, latest.version());
    assertEquals("struct<order_id:bigint,qty:string,price:decimal(4,2),ordered_at:timestamp,note:string,"
        + "coupon:string>", latest.schema().simpleString());
    assertEquals("widened order_id int -> bigint; added coupon string", latest.change());
    assertEquals(Map.of("invalid_price", 1L), m2.getRejectedByReason(), "abc fits no decimal: the row, not the file");
    assertEquals(6, m2.getRowsRead());
    assertEquals(5, m2.getRowsWritten());
    String warnings = String.join("\n", m2.getWarnings());
    assertTrue(warnings.contains("raw/orders/date=2025-01-03/c.csv has no column note, coupon: read as null there"), warnings);
    assertTrue(warnings.contains("not read: raw/orders/date=2025-01-03/d.csv (schema_type_change: column price:"
        + " the contract (v2) has decimal(4,2), the file holds string values"), warnings);
    Path reason = lake.root().resolve("quarantine/_files/orders/date=2025-01-03/d.csv.reason.json");
    assertTrue(Files.readString(reason).contains("column price"), Files.readString(reason));
    processed = jobs.read("processed/orders");
    assertEquals(5, processed.count());
    assertEquals(3, processed.filter("coupon is null and year = 2025 and day = 1").count());
    assertEquals("bigint", processed.schema().apply("order_id").dataType().simpleString());
    assertEquals(1, jobs.read("quarantine/orders").filter("reject_reason = 'invalid_price' and price = 'abc'").count());

    // Rerun stability: the same files give the same rows and no new version.
    assertEquals(0, jobs.run(new IngestJob(), "--dataset", "orders").exitCode(), jobs.stderr());
    assertEquals(2, store.versions().size());
    assertEquals(5, jobs.read("processed/orders").count());
  }

  @Test
  void aDateColumnWidenedToTimestampKeepsItsOlderValuesAndAnEmptyValueFitsEveryType() {
    TestLake lake = new TestLake(dir.resolve("widen"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeRaw("leads", "2025-03-01", "a.csv", "id,score,signed_up", List.of("1,9.5,2025-03-01", "2,,2025-03-01"));
    lake.writeRaw("leads", "2025-03-02", "b.csv", "id,score,signed_up", List.of("3,7,2025-03-02T09:30:00Z"));
    JobOutcome outcome = jobs.run(new IngestJob(), "--dataset", "leads");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertEquals(Map.of(), outcome.manifest().orElseThrow().getRejectedByReason());
    assertSameRows(SharedSpark.get().sql("select * from values (1, timestamp'2025-03-01 00:00:00'),"
            + " (2, timestamp'2025-03-01 00:00:00'), (3, timestamp'2025-03-02 09:30:00') as t(id, signed_up)"),
        jobs.read("processed/leads").select("id", "signed_up"));
    assertEquals(1, jobs.read("processed/leads").filter("score is null").count());
  }

  @Test
  void aHeaderWithTwoNamesThatDifferInLetterCaseQuarantinesItsFileAndTheRunGoesOn() throws Exception {
    // Spark, Parquet readers and Athena match names whatever their case: "Name" and "name" are one column.
    TestLake lake = new TestLake(dir.resolve("case"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeRaw("partners", "2025-01-04", "a.csv", "Partner ID,Name,name", List.of("1,Acme,acme"));
    // A name Spark would take as a pattern: the sampler and the read must both find the file.
    lake.writeRaw("partners", "2025-01-04", "b[2].csv", "Partner ID,Name", List.of("2,Beta"));
    JobOutcome outcome = jobs.run(new IngestJob(), "--dataset", "partners");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertEquals(1, outcome.manifest().orElseThrow().getRowsWritten());
    assertEquals(1, jobs.read("processed/partners").filter("partner_id = 2 and name = 'Beta'").count());
    String reason = Files.readString(
        lake.root().resolve("quarantine/_files/partners/date=2025-01-04/a.csv.reason.json"));
    assertTrue(reason.contains("schema_column_names") && reason.contains("both be stored as name"), reason);
  }

  @Test
  void ingestsJsonLinesAndRefusesBadArguments() {
    TestLake lake = new TestLake(dir.resolve("json"));
    JobHarness jobs = new JobHarness(lake);
    lake.writeJsonLines("devices", "2025-02-01", "d[1]*.jsonl", List.of(
        "{\"id\": 1, \"active\": true, \"seen\": \"2025-02-01\", \"meta\": {\"os\": \"x\"}}",
        "{\"id\": 2, \"active\": false, \"seen\": \"2025-02-01\"}"));
    JobOutcome outcome = jobs.run(new IngestJob(), "--dataset", "devices");
    assertEquals(0, outcome.exitCode(), jobs.stderr());
    assertEquals("struct<id:int,active:boolean,seen:date,meta:string>",
        new ContractStore(lake.uri(), "devices", SharedSpark.get().sparkContext().hadoopConfiguration())
            .latest().orElseThrow().schema().simpleString());
    assertEquals(2, jobs.read("processed/devices").filter("seen = date'2025-02-01'").count());

    assertEquals(JobOutcome.USAGE, jobs.run(new IngestJob()).exitCode());
    assertTrue(jobs.stderr().contains("Cannot run without --dataset"), jobs.stderr());
    assertEquals(JobOutcome.USAGE, jobs.run(new IngestJob(), "--dataset", "reviews").exitCode());
    assertTrue(jobs.stderr().contains("Cannot ingest reviews: it is a declared dataset"), jobs.stderr());
  }
}

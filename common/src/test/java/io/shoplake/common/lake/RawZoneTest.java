package io.shoplake.common.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the raw zone reads, and that what it does not read is said, not dropped without a word. No Spark. */
class RawZoneTest {
  @TempDir Path lake;

  private void file(String relative) throws Exception {
    Path path = lake.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.writeString(path, "id\n1\n");
  }

  @Test
  void readsTheFilesOfDateFoldersAndNamesEveryMisplacedEntry() throws Exception {
    file("raw/t/date=2025-03-01/a.csv");
    file("raw/t/date=2025-03-01/_SUCCESS");
    file("raw/t/date=2025-03-01/.DS_Store");
    file("raw/t/date=2025-03-01/nested/b.csv");
    file("raw/t/loose.csv");
    file("raw/t/date=2025-3-2/c.csv");
    file("raw/t/2025-03-03/d.csv");
    file("raw/t/_temporary/e.csv");
    file("raw/t/date=2025-03-01/f.csv._COPYING_"); // hadoop fs -put's name until the copy ends: Spark skips it
    RawZone zone = new RawZone(new LakePaths(lake.toUri().toString()), new Configuration(), FileScreen.NONE);

    List<InputFile> files = zone.list("t", Optional.empty());

    assertEquals(List.of("raw/t/date=2025-03-01/a.csv"), files.stream().map(InputFile::relativePath).toList());
    assertEquals(List.of(
        "not read: raw/t/2025-03-03 is not a date=YYYY-MM-DD folder (raw files go in raw/t/date=YYYY-MM-DD/)",
        "not read: raw/t/date=2025-03-01/f.csv._COPYING_ is a copy in progress (hadoop fs -put's temporary name): it"
            + " is read under its final name, once the copy ends; a copy that was cut off leaves it behind, so copy"
            + " the file again",
        "not read: raw/t/date=2025-03-01/nested is a folder inside a date folder (raw files go directly in"
            + " raw/t/date=YYYY-MM-DD/)",
        "not read: raw/t/date=2025-3-2 is not a date=YYYY-MM-DD folder (raw files go in raw/t/date=YYYY-MM-DD/)",
        "not read: raw/t/loose.csv is not in a date=YYYY-MM-DD folder (raw files go in raw/t/date=YYYY-MM-DD/)"),
        zone.validationWarnings().stream().sorted().toList());
  }
}

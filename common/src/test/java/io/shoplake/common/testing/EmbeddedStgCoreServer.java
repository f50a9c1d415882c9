package io.shoplake.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Runs the tests' embedded stg_core (MariaDB with the sample schema, {@link StgCoreDatabase}) for
 * {@code scripts/run-local.sh --with-stg-core}, so a new user sees the JDBC path end to end with nothing
 * installed. Not part of the jobs jar: it lives with the test helpers.
 *
 * <p>Usage: {@code EmbeddedStgCoreServer <connection-file>}, run from {@code common/}. Writes the
 * connection as {@code STG_CORE_JDBC_URL=…}, {@code STG_CORE_USER=…}, {@code STG_CORE_PASSWORD=…} lines
 * to the file (owner-only; the password is made up at start and dies with the server), then serves
 * until the process is stopped. Stopping it (SIGTERM) stops the server.
 */
public final class EmbeddedStgCoreServer {
  private EmbeddedStgCoreServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("ERROR: usage: EmbeddedStgCoreServer <connection-file>");
      System.exit(2);
    }
    StgCoreDatabase db = StgCoreDatabase.get().resetToSample();
    Path file = Path.of(args[0]).toAbsolutePath();
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, "STG_CORE_JDBC_URL=" + db.jdbcUrl() + "\nSTG_CORE_USER=" + db.user()
        + "\nSTG_CORE_PASSWORD=" + db.password() + "\n", StandardCharsets.UTF_8);
    // Appears whole or not at all: the script waits for it.
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    System.err.println("stg_core (sample) served at " + db.jdbcUrl() + " as " + db.user());
    Thread.currentThread().join();
  }
}

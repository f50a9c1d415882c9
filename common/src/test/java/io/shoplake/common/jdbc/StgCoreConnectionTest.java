package io.shoplake.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.config.UsageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the stg_core connection comes from, and that its password never shows. */
class StgCoreConnectionTest {
  private static LakeConfig.StgCore config(String user, String secretId) {
    return new LakeConfig.StgCore("jdbc:mysql://db.internal:3306/stg_core", user, secretId, List.of("orders"),
        List.of(), 4, 1000, new io.shoplake.common.config.Backoff(1, Duration.ofMillis(1), Duration.ofMillis(1)));
  }

  @Test
  void theConnectionComesFromTheEnvironmentFirstAndNeverShowsThePassword() {
    LakeConfig.StgCore config = config("reader", "");
    StgCoreConnection c = StgCoreConnection.resolve(config, Map.of(
        "STG_CORE_JDBC_URL", "jdbc:mysql://127.0.0.1:3307/stg_core?password=hunter2&useSSL=false",
        "STG_CORE_PASSWORD", "s3cret"), id -> { throw new AssertionError("no secret expected"); });
    assertEquals("reader", c.user());
    assertEquals("s3cret", c.password());
    assertEquals("jdbc:mysql://127.0.0.1:3307/stg_core?password=***&useSSL=false", c.maskedUrl());
    assertEquals(false, c.toString().contains("s3cret") || c.toString().contains("hunter2"));
    UsageException missing = assertThrows(UsageException.class, () -> StgCoreConnection.resolve(config, Map.of(),
        id -> { throw new AssertionError(); }));
    assertEquals("Cannot connect to stg_core: no password (set STG_CORE_PASSWORD or"
        + " shoplake.stg-core.password-secret-id)", missing.getMessage());
  }

  @Test
  void aSecretIsThePasswordOrRdsJsonWhoseUserAppliesWhenNoneIsSet() {
    StgCoreConnection plain = StgCoreConnection.resolve(config("reader", "prod/stg-core"), Map.of(),
        id -> "pl@in-secret");
    assertEquals("reader", plain.user());
    assertEquals("pl@in-secret", plain.password());
    String rds = "{\"engine\":\"mysql\",\"username\":\"etl_reader\",\"password\":\"js0n-secret\",\"port\":3306}";
    StgCoreConnection json = StgCoreConnection.resolve(config("", "prod/stg-core"), Map.of(), id -> rds);
    assertEquals("etl_reader", json.user());
    assertEquals("js0n-secret", json.password());
    assertEquals("reader", StgCoreConnection.resolve(config("reader", "prod/stg-core"), Map.of(), id -> rds).user());
    UsageException broken = assertThrows(UsageException.class, () -> StgCoreConnection.resolve(
        config("reader", "prod/stg-core"), Map.of(), id -> "{\"username\":\"u\",\"pass\":\"leak-me\"}"));
    assertEquals("Cannot use secret prod/stg-core: its JSON has no \"password\" text field", broken.getMessage());
  }

  @Test
  void theJobsReadingPropertiesApplyUnlessTheUrlSetsItsOwnAndAZoneOfTheUrlKeepsTheSessionsZone() {
    assertEquals(Map.of("zeroDateTimeBehavior", "CONVERT_TO_NULL", "tinyInt1isBit", "false",
            "connectionTimeZone", "+00:00", "forceConnectionTimeZoneToSession", "true"),
        new StgCoreConnection("jdbc:mysql://db:3306/stg_core", "u", "p").defaults());
    assertEquals(Map.of("zeroDateTimeBehavior", "CONVERT_TO_NULL", "tinyInt1isBit", "false"),
        new StgCoreConnection("jdbc:mysql://db:3306/stg_core?serverTimezone=Europe/Berlin", "u", "p").defaults());
    assertEquals(Map.of("zeroDateTimeBehavior", "CONVERT_TO_NULL", "connectionTimeZone", "+00:00",
            "forceConnectionTimeZoneToSession", "true"),
        new StgCoreConnection("jdbc:mysql://db:3306/stg_core?tinyInt1isBit=true", "u", "p").defaults());
  }
}

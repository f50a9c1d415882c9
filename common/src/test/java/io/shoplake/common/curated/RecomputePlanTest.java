package io.shoplake.common.curated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The master merge's incremental rules, on fingerprint maps: which dates each curated table rebuilds. */
class RecomputePlanTest {
  private static final String D1 = "year=2024/month=3/day=1";
  private static final String D2 = "year=2024/month=3/day=2";
  private static final String D3 = "year=2024/month=3/day=3";

  /** Transactions on D1..D3, events on D1 and D2, reviews on D1 and D3, sessions on D1, one product table. */
  private static Map<String, SortedMap<String, String>> lake() {
    Map<String, SortedMap<String, String>> lake = new HashMap<>();
    lake.put("transactions", fingerprints("t", D1, D2, D3));
    lake.put("clickstream_events", fingerprints("e", D1, D2));
    lake.put("reviews", fingerprints("r", D1, D3));
    lake.put("sessions", fingerprints("s", D1));
    lake.put("products", new TreeMap<>(Map.of("", "p")));
    return lake;
  }

  private static SortedMap<String, String> fingerprints(String value, String... partitions) {
    SortedMap<String, String> map = new TreeMap<>();
    for (String p : partitions) {
      map.put(p, value);
    }
    return map;
  }

  private static Map<String, SortedMap<String, String>> with(String input, String partition, String fingerprint) {
    Map<String, SortedMap<String, String>> lake = lake();
    SortedMap<String, String> changed = new TreeMap<>(lake.get(input));
    if (fingerprint == null) {
      changed.remove(partition);
    } else {
      changed.put(partition, fingerprint);
    }
    lake.put(input, changed);
    return lake;
  }

  private static SortedSet<LocalDate> days(int... days) {
    SortedSet<LocalDate> set = new TreeSet<>();
    for (int d : days) {
      set.add(LocalDate.of(2024, 3, d));
    }
    return set;
  }

  @Test
  void nothingChangedRebuildsNothing() {
    RecomputePlan plan = RecomputePlan.of(lake(), lake());
    assertTrue(plan.nothing());
    assertFalse(plan.productsChanged());
  }

  @Test
  void aFirstRunRebuildsEveryDateAndTheDayAfterTheLastEvents() {
    RecomputePlan plan = RecomputePlan.of(Map.of(), with("clickstream_events", D3, "e"));
    assertEquals(days(1, 2, 3), plan.salesDates());
    assertEquals(days(1, 2, 3, 4), plan.performanceDates());
    assertTrue(plan.summaryChanged());
    assertTrue(plan.productsChanged());
  }

  @Test
  void aChangedTransactionDayRebuildsThatDayAndTheSummary() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("transactions", D2, "t2"));
    assertEquals(days(2), plan.salesDates());
    assertEquals(days(2), plan.performanceDates());
    assertTrue(plan.summaryChanged());
  }

  @Test
  void aRemovedTransactionDayIsRebuiltSoItsPartitionGoes() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("transactions", D3, null));
    assertEquals(days(3), plan.salesDates());
  }

  @Test
  void changedEventsRebuildPerformanceOnTheirDayAndTheNextOnly() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("clickstream_events", D2, "e2"));
    assertEquals(days(), plan.salesDates());
    assertEquals(days(2, 3), plan.performanceDates());
    assertFalse(plan.summaryChanged());
  }

  @Test
  void aChangedReviewRebuildsPerformanceFromItsDateOnBecauseRatingsAreCumulative() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("reviews", D1, "r2"));
    assertEquals(days(), plan.salesDates());
    assertEquals(days(1, 2, 3), plan.performanceDates());
    assertFalse(plan.summaryChanged());
  }

  @Test
  void changedProductsRebuildEverySalesAndPerformanceDateButNotTheSummary() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("products", "", "p2"));
    assertTrue(plan.productsChanged());
    assertEquals(days(1, 2, 3), plan.salesDates());
    assertEquals(days(1, 2, 3), plan.performanceDates());
    assertFalse(plan.summaryChanged());
  }

  @Test
  void changedSessionsRebuildOnlyTheSummary() {
    RecomputePlan plan = RecomputePlan.of(lake(), with("sessions", D1, "s2"));
    assertTrue(plan.salesDates().isEmpty());
    assertTrue(plan.performanceDates().isEmpty());
    assertTrue(plan.summaryChanged());
    assertEquals(List.of("2024-03-01"), ((Map<?, ?>) plan.metrics(false).get("changed_inputs")).get("sessions"));
    assertEquals(false, ((Map<?, ?>) plan.metrics(false).get("changed_inputs")).get("products"));
  }
}

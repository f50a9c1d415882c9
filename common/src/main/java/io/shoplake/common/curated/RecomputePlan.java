package io.shoplake.common.curated;

import io.shoplake.common.lake.DayPartitions;
import io.shoplake.common.state.PartitionFingerprints;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a master merge recomputes, decided from the input fingerprints of the last successful run and of
 * now (see {@link MasterMerge} for why each rule holds). Pure: no Spark, no IO, so the incremental rules
 * are tested on maps.
 *
 * @param changed the changed day partitions of each dated input
 * @param productsChanged whether any product column the curated tables read changed
 * @param salesDates the sales dates to rebuild
 * @param performanceDates the daily_product_performance dates to rebuild
 * @param summaryChanged whether customer_summary is rebuilt
 */
record RecomputePlan(Map<String, SortedSet<LocalDate>> changed, boolean productsChanged,
    SortedSet<LocalDate> salesDates, SortedSet<LocalDate> performanceDates, boolean summaryChanged) {

  /**
   * @param before the fingerprints recorded by the last successful run (empty for a full refresh)
   * @param now the fingerprints of the inputs as they are; keyed by transactions, products, reviews,
   *     sessions and clickstream_events
   */
  static RecomputePlan of(Map<String, SortedMap<String, String>> before, Map<String, SortedMap<String, String>> now) {
    Map<String, SortedSet<LocalDate>> changed = new TreeMap<>();
    now.forEach((name, fingerprints) -> changed.put(name, dates(
        PartitionFingerprints.changed(before.getOrDefault(name, new TreeMap<>()), fingerprints))));
    boolean productsChanged = !PartitionFingerprints.changed(before.getOrDefault("products", new TreeMap<>()),
        now.get("products")).isEmpty();
    SortedSet<LocalDate> transactionDates = dates(now.get("transactions").keySet());
    SortedSet<LocalDate> eventDates = dates(now.get("clickstream_events").keySet());

    SortedSet<LocalDate> salesDates = new TreeSet<>(productsChanged ? union(transactionDates, changed.get("transactions"))
        : changed.get("transactions"));
    SortedSet<LocalDate> candidates = union(transactionDates, eventDates);
    eventDates.forEach(d -> candidates.add(d.plusDays(1)));
    SortedSet<LocalDate> performanceDates = new TreeSet<>();
    if (productsChanged) {
      performanceDates.addAll(candidates);
    }
    performanceDates.addAll(changed.get("transactions"));
    changed.get("clickstream_events").forEach(d -> {
      performanceDates.add(d);
      performanceDates.add(d.plusDays(1));
    });
    if (!changed.get("reviews").isEmpty()) {
      LocalDate first = changed.get("reviews").first();
      candidates.stream().filter(d -> !d.isBefore(first)).forEach(performanceDates::add);
    }
    boolean summaryChanged = !changed.get("transactions").isEmpty() || !changed.get("sessions").isEmpty();
    return new RecomputePlan(changed, productsChanged, salesDates, performanceDates, summaryChanged);
  }

  /** True when no curated table has anything to rebuild. */
  boolean nothing() {
    return salesDates.isEmpty() && performanceDates.isEmpty() && !summaryChanged;
  }

  /** The run-manifest metrics describing the plan. */
  Map<String, Object> metrics(boolean fullRefresh) {
    Map<String, Object> changedInputs = new LinkedHashMap<>();
    changed.forEach((name, dates) -> changedInputs.put(name, name.equals("products") ? productsChanged
        : dates.stream().map(LocalDate::toString).toList()));
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("full_refresh", fullRefresh);
    metrics.put("changed_inputs", changedInputs);
    metrics.put("sales_dates_recomputed", salesDates.size());
    metrics.put("performance_dates_recomputed", performanceDates.size());
    metrics.put("customer_summary_recomputed", summaryChanged);
    return metrics;
  }

  /** The dates of fingerprinted partitions; the whole-dataset key "" has none. */
  private static SortedSet<LocalDate> dates(Collection<String> partitionNames) {
    return DayPartitions.dates(partitionNames.stream().filter(n -> !n.isEmpty()).toList());
  }

  private static SortedSet<LocalDate> union(SortedSet<LocalDate> a, SortedSet<LocalDate> b) {
    SortedSet<LocalDate> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}

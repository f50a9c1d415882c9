package io.shoplake.jobs;

import io.shoplake.common.job.LakeJob;
import io.shoplake.common.transactions.TransactionEtl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The jobs this jar runs, by the short name scripts/run-job.sh and the manifests use. */
public final class JobCatalog {
  private static final Map<String, Supplier<LakeJob>> JOBS = new LinkedHashMap<>();

  static {
    JOBS.put(TransactionEtl.NAME, TransactionEtl::new);
  }

  private JobCatalog() {}

  public static Optional<LakeJob> find(String name) {
    return Optional.ofNullable(JOBS.get(name)).map(Supplier::get);
  }

  public static String names() {
    return String.join(", ", JOBS.keySet());
  }
}

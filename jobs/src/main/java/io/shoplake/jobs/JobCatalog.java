package io.shoplake.jobs;

import io.shoplake.common.catalog.CatalogJob;
import io.shoplake.common.clickstream.ClickstreamEtl;
import io.shoplake.common.curated.MasterMerge;
import io.shoplake.common.export.ParquetToJson;
import io.shoplake.common.ingest.IngestJob;
import io.shoplake.common.jdbc.JdbcExtract;
import io.shoplake.common.job.LakeJob;
import io.shoplake.common.products.ProductEnrichment;
import io.shoplake.common.quality.QualityJob;
import io.shoplake.common.reviews.ReviewEtl;
import io.shoplake.common.transactions.TransactionEtl;
import io.shoplake.common.validation.FileValidation;
import io.shoplake.jobs.pipeline.LocalPipeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The jobs this jar runs, by the short name scripts/run-job.sh and the manifests use. */
public final class JobCatalog {
  private static final Map<String, Supplier<LakeJob>> JOBS = new LinkedHashMap<>();

  static {
    JOBS.put(FileValidation.NAME, FileValidation::new);
    JOBS.put(TransactionEtl.NAME, TransactionEtl::new);
    JOBS.put(ProductEnrichment.NAME, ProductEnrichment::new);
    JOBS.put(ReviewEtl.NAME, ReviewEtl::new);
    JOBS.put(ClickstreamEtl.NAME, ClickstreamEtl::new);
    JOBS.put(QualityJob.NAME, QualityJob::new);
    JOBS.put(MasterMerge.NAME, MasterMerge::new);
    JOBS.put(CatalogJob.NAME, CatalogJob::new);
    JOBS.put(ParquetToJson.NAME, ParquetToJson::new);
    JOBS.put(JdbcExtract.NAME, JdbcExtract::new);
    JOBS.put(IngestJob.NAME, IngestJob::new);
  }

  private JobCatalog() {}

  public static Optional<LakeJob> find(String name) {
    return Optional.ofNullable(JOBS.get(name)).map(Supplier::get);
  }

  /** A new instance of every job, in the catalog's order: what the pipeline's steps are derived from. */
  public static java.util.List<LakeJob> jobs() {
    return JOBS.values().stream().map(Supplier::get).toList();
  }

  /** The names of the jobs, in the catalog's order (the pipeline is wiring, not a job). */
  public static java.util.List<String> jobNames() {
    return java.util.List.copyOf(JOBS.keySet());
  }

  public static String names() {
    return String.join(", ", JOBS.keySet()) + ", " + LocalPipeline.NAME;
  }
}

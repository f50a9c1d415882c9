package io.shoplake.jobs;

import io.shoplake.common.products.ProductEnrichment;

/**
 * Product enrichment: raw products and categories -> processed/products and processed/categories (see
 * {@link ProductEnrichment}). Glue: {@code --class io.shoplake.jobs.ProductEnrichmentJob}.
 */
public final class ProductEnrichmentJob {
  private ProductEnrichmentJob() {}

  public static void main(String[] args) {
    Launch.run(new ProductEnrichment(), args);
  }
}

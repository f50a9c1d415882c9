package io.shoplake.jobs;

/**
 * Catalog catch-up: registers every declared table of the lake in the session's Hive-compatible catalog
 * (see {@link io.shoplake.common.catalog.CatalogJob}). Glue: {@code --class io.shoplake.jobs.CatalogJob}
 * with {@code --enable-glue-datacatalog}.
 */
public final class CatalogJob {
  private CatalogJob() {}

  public static void main(String[] args) {
    Launch.run(new io.shoplake.common.catalog.CatalogJob(), args);
  }
}

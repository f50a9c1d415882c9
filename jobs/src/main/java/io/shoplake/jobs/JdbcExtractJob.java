package io.shoplake.jobs;

import io.shoplake.common.jdbc.JdbcExtract;

/**
 * JDBC extraction from stg_core into processed/stg_core/<table> (see {@link JdbcExtract}). Glue:
 * {@code --class io.shoplake.jobs.JdbcExtractJob}.
 */
public final class JdbcExtractJob {
  private JdbcExtractJob() {}

  public static void main(String[] args) {
    Launch.run(new JdbcExtract(), args);
  }
}

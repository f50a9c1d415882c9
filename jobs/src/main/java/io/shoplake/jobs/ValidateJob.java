package io.shoplake.jobs;

import io.shoplake.common.validation.FileValidation;

/**
 * File validation: checks new raw files and quarantines the ones that break the file-level rules (see
 * {@link FileValidation}). Glue: {@code --class io.shoplake.jobs.ValidateJob}, run before the ETL jobs.
 */
public final class ValidateJob {
  private ValidateJob() {}

  public static void main(String[] args) {
    Launch.run(new FileValidation(), args);
  }
}

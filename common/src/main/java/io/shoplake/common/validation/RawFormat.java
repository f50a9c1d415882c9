package io.shoplake.common.validation;

import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.products.ProductRules;
import io.shoplake.common.transactions.FxRates;
import io.shoplake.common.transactions.TransactionSchema;
import java.io.Serializable;
import java.util.List;

/**
 * What a raw dataset's files must look like to be read at all (the data contract's file-level rules);
 * row-level rules stay with the jobs.
 *
 * @param dataset raw dataset name ({@code raw/<dataset>/})
 * @param csv true for CSV with a header, false for JSON Lines
 * @param requiredColumns the header columns a CSV file must have, in any order (extra ones are reported)
 */
public record RawFormat(String dataset, boolean csv, List<String> requiredColumns) implements Serializable {

  /** The raw datasets the jobs read, with the names {@code config} gives them. */
  public static List<RawFormat> all(LakeConfig config) {
    return List.of(
        new RawFormat(config.transactions().dataset(), true, TransactionSchema.RAW_COLUMNS),
        new RawFormat(config.transactions().fxRatesDataset(), true, FxRates.RAW_COLUMNS),
        new RawFormat(config.products().categoriesDataset(), true, ProductRules.CATEGORY_FIELDS),
        new RawFormat(config.products().dataset(), false, List.of()),
        new RawFormat(config.reviews().dataset(), false, List.of()),
        new RawFormat(config.clickstream().dataset(), false, List.of()));
  }
}

package io.shoplake.common.validation;

import io.shoplake.common.clickstream.ClickstreamRules;
import io.shoplake.common.config.LakeConfig;
import io.shoplake.common.dataset.RawDataset;
import io.shoplake.common.products.ProductRules;
import io.shoplake.common.transactions.FxRates;
import io.shoplake.common.reviews.ReviewRules;
import io.shoplake.common.transactions.TransactionRules;
import java.io.Serializable;
import java.util.List;

/**
 * What a raw dataset's files must look like to be read at all (the data contract's file-level rules);
 * row-level rules stay with the jobs.
 *
 * @param dataset raw dataset name ({@code raw/<dataset>/})
 * @param csv true for CSV with a header, false for JSON Lines
 * @param requiredColumns the contract's fields: the header columns a CSV file must have, in any order (extra ones
 *     are reported); for JSON Lines, the keys whose spelling in another letter case rejects a file (empty: none)
 */
public record RawFormat(String dataset, boolean csv, List<String> requiredColumns) implements Serializable {

  /** The raw datasets the jobs read, with the names {@code config} gives them. */
  public static List<RawFormat> all(LakeConfig config) {
    return List.of(
        of(config.transactions().dataset(), TransactionRules.DATASET),
        of(config.transactions().fxRatesDataset(), FxRates.DATASET),
        of(config.products().categoriesDataset(), ProductRules.CATEGORIES),
        of(config.products().dataset(), ProductRules.PRODUCTS),
        of(config.reviews().dataset(), ReviewRules.DATASET),
        of(config.clickstream().dataset(), ClickstreamRules.events(List.of())));
  }

  /** The file format of a declared dataset read from {@code raw/<folder>/}, with the contract's fields. */
  public static RawFormat of(String folder, RawDataset dataset) {
    return new RawFormat(folder, dataset.csv(), dataset.fields());
  }
}

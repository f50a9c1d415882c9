package io.shoplake.common.transactions;

import io.shoplake.common.lake.InputFile;
import io.shoplake.common.rules.RowRule;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the transaction ETL reads, whatever the source: the contract's raw columns as strings, so both
 * sources go through the same cleaning, rules and derivations ({@link TransactionEtl}).
 *
 * @param units the lineage units read, each a {@code source_file} value with its {@code raw_date}: the
 *     raw CSV files, or one unit per order date of stg_core. A rerun replaces the processed rows of the
 *     units it reads, so they must be stable from run to run.
 * @param rows {@link TransactionSchema#RAW_COLUMNS}, {@link io.shoplake.common.rules.RawFields#CORRUPT_RECORD},
 *     {@code source_file}, {@code raw_date}, and the helper columns
 * @param sourceRules rules only this source can break, evaluated before the contract's rules
 * @param helperColumns columns that only {@code sourceRules} read; dropped after the rules
 * @param whenEmpty the warning when there is nothing to read, naming where the job looked
 */
public record TransactionInput(List<InputFile> units, Dataset<Row> rows, List<RowRule> sourceRules,
    List<String> helperColumns, String whenEmpty) {}

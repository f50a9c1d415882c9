package io.shoplake.common.transform;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A pure {@code Dataset<Row> -> Dataset<Row>} transformation, usable directly with
 * {@code Dataset.transform} (which takes a Scala function) and composable with {@code andThen}.
 */
@FunctionalInterface
public interface Transform extends scala.Function1<Dataset<Row>, Dataset<Row>>, Serializable {}

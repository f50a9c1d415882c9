package io.shoplake.common.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.columnar.CachedBatchSerializer;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction2;

/**
 * Spark's cache ({@code Dataset.persist}) kept as Spark's own binary rows, packed into byte arrays, instead of
 * in Spark's default columnar format; chosen with {@code spark.sql.cache.serializer} (a static setting: the
 * first cache of a JVM fixes it).
 *
 * <p>Why: the jobs cache what they staged and read it back whole, row by row (every column, for a write), never
 * as columns. The default format turns each row into columns on the way in (a builder and statistics per
 * column, a clone of every new string maximum) and back into a row on the way out (a generated accessor that
 * writes every field again); a flight recording of the 1M transaction run put that conversion among Spark's
 * row copying, the largest kind of executor work after CSV parsing (docs/BENCHMARKS.md). Here a cached row is
 * the bytes the staging stage already made, copied once into a batch; a read points a row at them, and only a
 * read of some of the columns projects (copies) those. Measured: the 1M transaction job 7% faster (its staging
 * stage about 2.5 s less CPU), clickstream the same (docs/BENCHMARKS.md, twenty-seventh round).
 *
 * <p>What it costs: no statistics, so a filter on a cached Dataset scans every batch instead of skipping
 * batches by their minimum and maximum (the jobs filter their caches by verdicts that every batch holds, so
 * nothing was skipped before either); and a binary row is larger than an uncompressed column (8 bytes a field,
 * strings padded to 8): 687 MB against 565 MB for 1M staged transactions, so a cache that spills writes more.
 */
public final class RowCacheSerializer implements CachedBatchSerializer {
  private static final long serialVersionUID = 1L;
  /** Bytes of rows per batch: a block of a few MB, like the default's 10,000 rows of a wide dataset. */
  static final int BATCH_BYTES = 4 << 20;

  /**
   * Binary rows, each as its size (an int) then its bytes.
   *
   * @param numRows how many rows {@code bytes} holds
   * @param bytes the rows, exactly as long as they need
   */
  record RowBatch(int numRows, byte[] bytes) implements CachedBatch, Serializable {
    @Override
    public long sizeInBytes() {
      return bytes.length;
    }
  }

  @Override
  public boolean supportsColumnarInput(Seq<Attribute> schema) {
    return false;
  }

  @Override
  public RDD<CachedBatch> convertColumnarBatchToCachedBatch(RDD<ColumnarBatch> input, Seq<Attribute> schema,
      StorageLevel storageLevel, SQLConf conf) {
    throw new UnsupportedOperationException("RowCacheSerializer caches rows, not columnar batches");
  }

  @Override
  public RDD<CachedBatch> convertInternalRowToCachedBatch(RDD<InternalRow> input, Seq<Attribute> schema,
      StorageLevel storageLevel, SQLConf conf) {
    StructType structType = DataTypeUtils.fromAttributes(schema);
    return input.toJavaRDD().<CachedBatch>mapPartitions(rows -> new Packer(rows, structType)).rdd();
  }

  @Override
  public scala.Function2<Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      buildFilter(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
    return new KeepEveryBatch();
  }

  @Override
  public boolean supportsColumnarOutput(StructType schema) {
    return false;
  }

  @Override
  public RDD<ColumnarBatch> convertCachedBatchToColumnarBatch(RDD<CachedBatch> input, Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes, SQLConf conf) {
    throw new UnsupportedOperationException("RowCacheSerializer reads rows, not columnar batches");
  }

  @Override
  public RDD<InternalRow> convertCachedBatchToInternalRow(RDD<CachedBatch> input, Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes, SQLConf conf) {
    // Java lists: the task closure carries them, and ArrayList is serialisable whatever Seq Spark passed.
    List<Attribute> cached = new ArrayList<>(JavaConverters.seqAsJavaList(cacheAttributes));
    List<Attribute> selected = new ArrayList<>(JavaConverters.seqAsJavaList(selectedAttributes));
    boolean whole = selected.size() == cached.size();
    for (int i = 0; whole && i < selected.size(); i++) {
      whole = selected.get(i).exprId().equals(cached.get(i).exprId());
    }
    boolean project = !whole;
    int numFields = cached.size();
    return input.toJavaRDD().<InternalRow>mapPartitions(batches -> {
      Iterator<InternalRow> rows = new Unpacker(batches, numFields);
      if (!project) {
        return rows;
      }
      // Spark binds the selected columns to their ordinals in the cached rows.
      UnsafeProjection projection = UnsafeProjection.create(
          JavaConverters.asScalaBuffer(new ArrayList<Expression>(selected)).toSeq(),
          JavaConverters.asScalaBuffer(cached).toSeq());
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          return projection.apply(rows.next());
        }
      };
    }).rdd();
  }

  /** The filter of a cache without statistics: every batch may hold a match. */
  private static final class KeepEveryBatch
      extends AbstractFunction2<Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public scala.collection.Iterator<CachedBatch> apply(Object partition, scala.collection.Iterator<CachedBatch> it) {
      return it;
    }
  }

  /**
   * Rows into batches of about {@link #BATCH_BYTES}; a row larger than that is a batch of its own. Each batch is
   * filled in one scratch buffer and copied out at its exact size, so a batch costs one array of its size.
   */
  static final class Packer implements Iterator<CachedBatch> {
    private final Iterator<InternalRow> rows;
    private final StructType schema;
    private byte[] scratch = new byte[BATCH_BYTES];
    private UnsafeProjection toUnsafe;
    private UnsafeRow pending;

    Packer(Iterator<InternalRow> rows, StructType schema) {
      this.rows = rows;
      this.schema = schema;
    }

    @Override
    public boolean hasNext() {
      return pending != null || rows.hasNext();
    }

    @Override
    public CachedBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int used = 0;
      int count = 0;
      while (pending != null || rows.hasNext()) {
        UnsafeRow row = pending != null ? pending : unsafe(rows.next());
        pending = null;
        int size = row.getSizeInBytes();
        if (used + 4 + size > scratch.length) {
          if (count > 0) {
            pending = row.copy(); // the next batch's first row: the source reuses its row object
            break;
          }
          scratch = new byte[4 + size];
        }
        Platform.putInt(scratch, Platform.BYTE_ARRAY_OFFSET + used, size);
        Platform.copyMemory(row.getBaseObject(), row.getBaseOffset(), scratch, Platform.BYTE_ARRAY_OFFSET + used + 4,
            size);
        used += 4 + size;
        count++;
      }
      byte[] bytes = Arrays.copyOf(scratch, used);
      if (scratch.length > BATCH_BYTES) {
        scratch = new byte[BATCH_BYTES]; // after a large row, back to the usual size
      }
      return new RowBatch(count, bytes);
    }

    private UnsafeRow unsafe(InternalRow row) {
      if (row instanceof UnsafeRow unsafeRow) {
        return unsafeRow;
      }
      if (toUnsafe == null) {
        toUnsafe = UnsafeProjection.create(schema);
      }
      return toUnsafe.apply(row);
    }
  }

  /** The rows of the batches, one reused row pointed at each in turn (as Spark's own scans return them). */
  static final class Unpacker implements Iterator<InternalRow> {
    private final Iterator<CachedBatch> batches;
    private final UnsafeRow row;
    private RowBatch batch;
    private int offset;
    private int left;

    Unpacker(Iterator<CachedBatch> batches, int numFields) {
      this.batches = batches;
      this.row = new UnsafeRow(numFields);
    }

    @Override
    public boolean hasNext() {
      while (left == 0) {
        if (!batches.hasNext()) {
          return false;
        }
        batch = (RowBatch) batches.next();
        offset = 0;
        left = batch.numRows();
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      byte[] bytes = batch.bytes();
      int size = Platform.getInt(bytes, Platform.BYTE_ARRAY_OFFSET + offset);
      row.pointTo(bytes, Platform.BYTE_ARRAY_OFFSET + offset + 4, size);
      offset += 4 + size;
      left--;
      return row;
    }
  }
}

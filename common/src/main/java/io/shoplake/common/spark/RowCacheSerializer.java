package io.shoplake.common.spark;

import io.shoplake.common.rules.RowRules;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.IsNull;
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
 * <p>A filter on a cached Dataset skips batches by one statistic only, the rows' verdict: the rejected rows
 * (those with a {@code reject_reason}) are packed apart from the valid ones, so the quarantine write, which
 * keeps the rejected rows of a staged cache, unpacks and filters only their batches (at 1M transactions its stage
 * took half the CPU), and the processed write skips them. A partition spilled to disk is still read whole before
 * its batches are skipped, so a cache larger than memory gains little (10M transactions: the same). The rows of a
 * partition come back with the rejected ones after the valid ones of their batch.
 *
 * <p>What it costs: no other statistics, so any other filter scans every batch instead of skipping batches by
 * their minimum and maximum; and a binary row is larger than an uncompressed column (8 bytes a field,
 * strings padded to 8): 687 MB against 565 MB for 1M staged transactions, so a cache that spills writes more.
 */
public final class RowCacheSerializer implements CachedBatchSerializer {
  private static final long serialVersionUID = 1L;
  /** Bytes of rows per batch: a block of a few MB, like the default's 10,000 rows of a wide dataset. */
  static final int BATCH_BYTES = 4 << 20;

  /** Which rows a batch holds: all valid, all rejected, or any (rows without a reject reason column). */
  enum Verdicts { VALID, REJECTED, UNSPLIT }

  /**
   * Binary rows, each as its size (an int) then its bytes.
   *
   * @param numRows how many rows {@code bytes} holds
   * @param bytes the rows, exactly as long as they need
   * @param verdicts which rows they are ({@link Packer})
   */
  record RowBatch(int numRows, byte[] bytes, Verdicts verdicts) implements CachedBatch, Serializable {
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
    return SkipBatches.of(predicates, cachedAttributes);
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

  /**
   * Batches of one verdict, read from a scan's predicates: a scan that keeps only the valid rows ({@code
   * reject_reason IS NULL}) skips the batches of rejected rows, and one that keeps only the rejected rows skips
   * the valid ones. Spark still applies the predicates to every row of the batches kept.
   */
  static final class SkipBatches
      extends AbstractFunction2<Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final EnumSet<Verdicts> skipped;

    SkipBatches(EnumSet<Verdicts> skipped) {
      this.skipped = skipped;
    }

    static SkipBatches of(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
      EnumSet<Verdicts> skipped = EnumSet.noneOf(Verdicts.class);
      Attribute verdict = JavaConverters.seqAsJavaList(cachedAttributes).stream()
          .filter(a -> a.name().equals(RowRules.REJECT_REASON)).findFirst().orElse(null);
      if (verdict == null) {
        return new SkipBatches(skipped);
      }
      for (Expression predicate : JavaConverters.seqAsJavaList(predicates)) {
        if (predicate instanceof IsNull isNull && isAttribute(isNull.child(), verdict)) {
          skipped.add(Verdicts.REJECTED);
        } else if (predicate instanceof IsNotNull isNotNull && isAttribute(isNotNull.child(), verdict)) {
          skipped.add(Verdicts.VALID);
        }
      }
      return new SkipBatches(skipped);
    }

    private static boolean isAttribute(Expression expression, Attribute attribute) {
      return expression instanceof Attribute a && a.exprId().equals(attribute.exprId());
    }

    @Override
    public scala.collection.Iterator<CachedBatch> apply(Object partition, scala.collection.Iterator<CachedBatch> it) {
      if (skipped.isEmpty()) {
        return it;
      }
      return it.filter(batch -> !skipped.contains(((RowBatch) batch).verdicts()));
    }
  }

  /**
   * Rows into batches of about {@link #BATCH_BYTES}, the rejected rows (a non-null {@link RowRules#REJECT_REASON})
   * apart from the valid ones when the rows have that column; a row larger than that is a batch of its own.
   * Each batch is filled in a scratch buffer of its verdict and copied out at its exact size, so a batch costs
   * one array of its size. The valid rows keep their order, and so do the rejected ones; the two are no longer
   * interleaved as they came (no job reads a cache in an order it did not sort by).
   */
  static final class Packer implements Iterator<CachedBatch> {
    private final Iterator<InternalRow> rows;
    private final StructType schema;
    private final int verdictField;
    private final Buffer valid;
    private final Buffer rejected;
    private final ArrayDeque<RowBatch> ready = new ArrayDeque<>();
    private UnsafeProjection toUnsafe;

    Packer(Iterator<InternalRow> rows, StructType schema) {
      this.rows = rows;
      this.schema = schema;
      this.verdictField = Arrays.asList(schema.fieldNames()).indexOf(RowRules.REJECT_REASON);
      this.valid = new Buffer(verdictField < 0 ? Verdicts.UNSPLIT : Verdicts.VALID);
      this.rejected = new Buffer(Verdicts.REJECTED);
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && rows.hasNext()) {
        UnsafeRow row = unsafe(rows.next());
        Buffer buffer = verdictField < 0 || row.isNullAt(verdictField) ? valid : rejected;
        RowBatch full = buffer.add(row);
        if (full != null) {
          ready.add(full);
        }
      }
      if (ready.isEmpty()) {
        valid.takeInto(ready);
        rejected.takeInto(ready);
      }
      return !ready.isEmpty();
    }

    @Override
    public CachedBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
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

  /** The batch being filled with the rows of one verdict; its scratch array is made at the first row. */
  private static final class Buffer {
    private final Verdicts verdicts;
    private byte[] scratch;
    private int used;
    private int count;

    Buffer(Verdicts verdicts) {
      this.verdicts = verdicts;
    }

    /** Adds the row; returns the batch it completed first when the row did not fit, else null. */
    RowBatch add(UnsafeRow row) {
      int size = row.getSizeInBytes();
      RowBatch full = null;
      if (scratch == null) {
        scratch = new byte[BATCH_BYTES];
      }
      if (used + 4 + size > scratch.length) {
        if (count > 0) {
          full = take();
        }
        if (4 + size > scratch.length) {
          scratch = new byte[4 + size];
        }
      }
      Platform.putInt(scratch, Platform.BYTE_ARRAY_OFFSET + used, size);
      Platform.copyMemory(row.getBaseObject(), row.getBaseOffset(), scratch, Platform.BYTE_ARRAY_OFFSET + used + 4,
          size);
      used += 4 + size;
      count++;
      return full;
    }

    void takeInto(ArrayDeque<RowBatch> ready) {
      if (count > 0) {
        ready.add(take());
      }
    }

    private RowBatch take() {
      RowBatch batch = new RowBatch(count, Arrays.copyOf(scratch, used), verdicts);
      used = 0;
      count = 0;
      if (scratch.length > BATCH_BYTES) {
        scratch = new byte[BATCH_BYTES]; // after a large row, back to the usual size
      }
      return batch;
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

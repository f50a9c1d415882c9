package io.shoplake.common.state;

/**
 * A piece of state a job wants kept once its run succeeds (a watermark, fingerprints), returned with
 * its result and written by the runner in one place: after the outputs, the row-accounting check and
 * the catalog, together with the bookmark, before the run is marked succeeded. A run that fails before
 * that point leaves every piece as it was, so its rerun redoes exactly the unfinished work.
 */
public interface StateCommit {
  /** What is committed, for the manifest ({@code _state/jdbc-extract/orders.json}). */
  String describe();

  /** Writes it. */
  void commit();

  /** {@code value} as the JSON document of {@code state}, replacing the old one atomically. */
  static StateCommit json(JsonState state, Object value) {
    return new StateCommit() {
      @Override
      public String describe() {
        return state.path();
      }

      @Override
      public void commit() {
        state.write(value);
      }
    };
  }
}

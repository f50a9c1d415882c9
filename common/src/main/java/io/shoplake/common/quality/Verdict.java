package io.shoplake.common.quality;

/**
 * A check's outcome on one measurement.
 *
 * @param passed whether the data meets the check
 * @param message what was measured against what limit, in words a data engineer can act on
 */
public record Verdict(boolean passed, String message) {
  static Verdict pass(String message) {
    return new Verdict(true, message);
  }

  static Verdict fail(String message) {
    return new Verdict(false, message);
  }
}

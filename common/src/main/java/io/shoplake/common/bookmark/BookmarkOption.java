package io.shoplake.common.bookmark;

import io.shoplake.common.config.JobArguments;
import io.shoplake.common.config.UsageException;
import java.util.Optional;

/**
 * How a run uses its job's bookmark, from {@code --bookmark enable|disable|pause|reset} or Glue's
 * {@code --job-bookmark-option job-bookmark-enable|job-bookmark-disable|job-bookmark-pause}, and
 * {@code --bookmark-rewind-to <run-id>}.
 *
 * <ul>
 *   <li>enable (default): read only files not processed before; remember them once the output is written.
 *   <li>disable: read every file given; remember nothing.
 *   <li>pause: read only files not processed before; do not remember this run's.
 *   <li>reset: forget everything first, then as enable (every file is read again).
 *   <li>rewind to a run id: forget the runs after it, then as enable (their files are read again).
 * </ul>
 */
public enum BookmarkOption {
  ENABLE, DISABLE, PAUSE, RESET;

  /** The option of {@code args}; a {@link UsageException} naming the bad value otherwise. */
  public static BookmarkOption of(JobArguments args) {
    Optional<String> ours = args.get("bookmark");
    Optional<String> glue = args.get("job-bookmark-option");
    if (ours.isPresent() && glue.isPresent()) {
      throw new UsageException("Cannot use both --bookmark and --job-bookmark-option: give one");
    }
    if (glue.isPresent()) {
      return switch (glue.get()) {
        case "job-bookmark-enable" -> ENABLE;
        case "job-bookmark-disable" -> DISABLE;
        case "job-bookmark-pause" -> PAUSE;
        default -> throw new UsageException("Cannot use --job-bookmark-option '" + glue.get()
            + "': expected job-bookmark-enable, job-bookmark-disable or job-bookmark-pause");
      };
    }
    BookmarkOption option = switch (ours.orElse("enable")) {
      case "enable" -> ENABLE;
      case "disable" -> DISABLE;
      case "pause" -> PAUSE;
      case "reset" -> RESET;
      default -> throw new UsageException("Cannot use --bookmark '" + ours.get()
          + "': expected enable, disable, pause or reset");
    };
    if (rewindTo(args).isPresent() && option != ENABLE) {
      throw new UsageException("Cannot use --bookmark-rewind-to with --bookmark " + ours.orElseThrow()
          + ": a rewind is followed by a normal (enabled) run");
    }
    return option;
  }

  /** {@code --bookmark-rewind-to <run-id>}: forget the runs committed after that one. */
  public static Optional<String> rewindTo(JobArguments args) {
    Optional<String> runId = args.get("bookmark-rewind-to");
    if (runId.isPresent() && (runId.get().isBlank() || runId.get().equals("true"))) {
      throw new UsageException("Cannot use --bookmark-rewind-to: give the run id to rewind to");
    }
    return runId;
  }

  /** True when this run reads only files not processed before. */
  public boolean skipsProcessedFiles() {
    return this != DISABLE;
  }

  /** True when this run's files are remembered after its output is written. */
  public boolean commits() {
    return this == ENABLE || this == RESET;
  }
}

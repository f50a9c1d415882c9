package io.shoplake.common.lake;

import java.util.List;

/**
 * Decides which listed raw files a job may read: the file-level checks (format, encoding, header, size,
 * duplicate content) stand behind it, so the lister needs to know nothing of them. {@link RawZone} asks it
 * for every listing.
 */
public interface FileScreen {
  /**
   * The files of {@code dataset} that pass, each with the record count its check found; the others are
   * left out (and quarantined by the implementation).
   */
  List<InputFile> screen(String dataset, List<InputFile> listed);

  /** One line per file left out so far, for the run manifest's warnings. */
  List<String> warnings();

  /** Takes every listed file as it is, unchecked: for the validate step itself, which does the checking. */
  FileScreen NONE = new FileScreen() {
    @Override
    public List<InputFile> screen(String dataset, List<InputFile> listed) {
      return listed;
    }

    @Override
    public List<String> warnings() {
      return List.of();
    }
  };
}

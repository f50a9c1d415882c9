package io.shoplake.common.state;

import java.util.ArrayList;
import java.util.List;

/**
 * State that a part of a job produced along the way (the verdicts of the file checks a job ran on new
 * files), to be committed by the runner with the job's own state once the run succeeds. One per run;
 * not thread-safe (a job adds from its driver thread).
 */
public final class PendingState {
  private final List<StateCommit> commits = new ArrayList<>();

  public void add(StateCommit commit) {
    commits.add(commit);
  }

  public List<StateCommit> all() {
    return List.copyOf(commits);
  }
}

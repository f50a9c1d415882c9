package io.shoplake.jobs;

import io.shoplake.common.clickstream.ClickstreamEtl;

/**
 * Clickstream sessionization: raw/clickstream -> events, sessions, traffic_hourly,
 * conversion_funnel_daily (see {@link ClickstreamEtl}). Glue: {@code --class
 * io.shoplake.jobs.ClickstreamJob}.
 */
public final class ClickstreamJob {
  private ClickstreamJob() {}

  public static void main(String[] args) {
    Launch.run(new ClickstreamEtl(), args);
  }
}

package io.ifpulse.snmp;

import io.vertx.core.json.JsonObject;

/**
 * Request statistics of one agent. Written from SNMP4J's transport thread and read from event
 * loops, hence synchronized; it is touched once per request, not per varbind.
 */
public final class AgentStats {
  private long requests;
  private long responses;
  private long timeouts;
  private long retries;
  private long errors;
  private long foreignReplies;
  private long lateCallbacks;
  private double lastRttMs = Double.NaN;
  private double avgRttMs = Double.NaN;
  private String lastError;
  private long lastErrorAtMs;

  synchronized void request() {
    requests++;
  }

  synchronized void retry() {
    retries++;
  }

  synchronized void response(double rttMs) {
    responses++;
    lastRttMs = rttMs;
    // Exponentially weighted so that the figure follows a path that changes, without jumping.
    avgRttMs = Double.isNaN(avgRttMs) ? rttMs : avgRttMs * 0.9 + rttMs * 0.1;
  }

  /** A reply to one of our requests came from another address or port than the agent's. */
  synchronized void foreignReply(String from) {
    foreignReplies++;
    lastError = "reply from " + from + ", not the agent";
    lastErrorAtMs = System.currentTimeMillis();
  }

  /** SNMP4J called a request's listener a second time (a timeout racing its reply): ignored. */
  synchronized void lateCallback() {
    lateCallbacks++;
  }

  public synchronized long lateCallbacks() {
    return lateCallbacks;
  }

  public synchronized long foreignReplies() {
    return foreignReplies;
  }

  synchronized void timeout() {
    timeouts++;
    error("timeout");
  }

  synchronized void error(String what) {
    if (!"timeout".equals(what)) errors++;
    lastError = what;
    lastErrorAtMs = System.currentTimeMillis();
  }

  public synchronized long requests() {
    return requests;
  }

  public synchronized long timeouts() {
    return timeouts;
  }

  public synchronized long retries() {
    return retries;
  }

  public synchronized String lastError() {
    return lastError;
  }

  public synchronized JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("requests", requests)
        .put("responses", responses)
        .put("timeouts", timeouts)
        .put("retries", retries)
        .put("errors", errors)
        .put("foreignReplies", foreignReplies)
        .put("lateCallbacks", lateCallbacks);
    if (!Double.isNaN(lastRttMs)) j.put("lastRttMs", round(lastRttMs)).put("avgRttMs", round(avgRttMs));
    if (lastError != null) j.put("lastError", lastError).put("lastErrorAt", lastErrorAtMs);
    return j;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

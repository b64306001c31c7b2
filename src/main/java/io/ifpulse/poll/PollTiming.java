package io.ifpulse.poll;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * How punctual and how long the polls of one poller are, since it started: the lateness of each
 * poll start against its slot (what a live chart shows as jitter) and the time from the first
 * request of a poll to its last reply. Confined to the poller's event loop.
 *
 * <p>The JSON form carries each histogram whole (HdrHistogram's compressed encoding), so a reader
 * that takes two snapshots can subtract them and get exact percentiles of the window in between.
 */
final class PollTiming {
  /** Microseconds up to 10 minutes (longer is recorded as 10 minutes), 1 % resolution: about 25 KB each. */
  private static final long MAX_US = 600_000_000L;
  private final Histogram lateness = new Histogram(MAX_US, 2);
  private final Histogram duration = new Histogram(MAX_US, 2);

  void pollStarted(long latenessNanos) {
    lateness.recordValue(micros(latenessNanos));
  }

  void pollFinished(long durationNanos) {
    duration.recordValue(micros(durationNanos));
  }

  private static long micros(long nanos) {
    return Math.min(MAX_US, Math.max(0, nanos / 1000));
  }

  JsonObject toJson() {
    return new JsonObject().put("startLatenessUs", json(lateness)).put("durationUs", json(duration));
  }

  private static JsonObject json(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("p50", h.getValueAtPercentile(50))
        .put("p99", h.getValueAtPercentile(99))
        .put("p999", h.getValueAtPercentile(99.9))
        .put("max", h.getMaxValue())
        .put("sum", Math.round(h.getMean() * h.getTotalCount()))
        .put("histogram", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n)));
  }
}

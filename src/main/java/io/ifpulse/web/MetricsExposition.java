package io.ifpulse.web;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a scrape in the format the scraper asked for, with the official client's writers:
 * OpenMetrics text when the Accept header names {@code application/openmetrics-text}, else the
 * Prometheus text format 0.0.4.
 */
final class MetricsExposition {
  private static final ExpositionFormats FORMATS = ExpositionFormats.init();
  /**
   * The size of the last scrape, as the first capacity of the next one: growing a buffer of
   * megabytes by doubling copies it several times over.
   */
  private static volatile int lastSize = 64 * 1024;

  /** The body of an answer and the content type it must go with. */
  record Written(String contentType, Buffer body) {}

  private MetricsExposition() {}

  static Written write(String accept, MetricSnapshots... parts) {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    for (MetricSnapshots part : parts) for (MetricSnapshot s : part) all.metricSnapshot(s);
    ExpositionFormatWriter writer = writer(accept);
    BufferStream out = new BufferStream(lastSize + lastSize / 8);
    try {
      writer.write(out, all.build(), EscapingScheme.fromAcceptHeader(accept));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    lastSize = out.buffer.length();
    return new Written(writer.getContentType(), out.buffer);
  }

  static ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter w = FORMATS.findWriter(accept);
    // Prometheus asks for protobuf first when native histograms are on; its writer is a separate
    // module this hub leaves out (no histograms here), so such a scraper gets its next choice.
    if (w.isAvailable()) return w;
    ExpositionFormatWriter openMetrics = FORMATS.getOpenMetricsTextFormatWriter();
    return openMetrics.accepts(accept) ? openMetrics : FORMATS.getPrometheusTextFormatWriter();
  }

  /** Straight into the buffer the response sends: a large scrape (megabytes) is not copied once more. */
  private static final class BufferStream extends OutputStream {
    final Buffer buffer;

    BufferStream(int capacity) {
      buffer = Buffer.buffer(capacity);
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.appendBytes(b, off, len);
    }
  }
}

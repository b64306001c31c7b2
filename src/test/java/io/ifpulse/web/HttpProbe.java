package io.ifpulse.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written by hand on a plain socket: any Host, any header, any body, from
 * any local address (127.0.0.2 is "another machine" to the hub's throttle). What an attacker's
 * page or tool can send, without a client library deciding for it.
 */
final class HttpProbe {
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  private final String from;
  private final int port;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private HttpProbe(String from, int port) {
    this.from = from;
    this.port = port;
    headers.put("Host", "127.0.0.1:" + port);
  }

  /** A request to the hub on 127.0.0.1:port, sent from {@code from} (null: any local address). */
  static HttpProbe to(int port) {
    return new HttpProbe(null, port);
  }

  HttpProbe from(String localAddress) {
    HttpProbe p = new HttpProbe(localAddress, port);
    p.headers.putAll(headers);
    return p;
  }

  /** Sets (or, with null, removes) a header; Host included. */
  HttpProbe header(String name, String value) {
    HttpProbe p = new HttpProbe(from, port);
    p.headers.putAll(headers);
    if (value == null) p.headers.remove(name);
    else p.headers.put(name, value);
    return p;
  }

  Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  Response send(String method, String path, String body) throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) head.append("Content-Length: ").append(payload.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    try (Socket s = new Socket()) {
      if (from != null) s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(payload);
      out.flush();
      return read(s.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new IOException("no complete response: " + text);
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    return new Response(status, headers, text.substring(end + 4));
  }
}

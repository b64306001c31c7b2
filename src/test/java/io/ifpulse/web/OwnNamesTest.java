package io.ifpulse.web;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class OwnNamesTest {

  /** Hubs as WebVerticle builds them: bind names, scheme and port, web.publicUrls, web.allowedOrigins. */
  private static final Map<String, OwnNames> HUBS = Map.of(
      // The default: plain HTTP on loopback, reached also through a proxy and by a second URL.
      "loopback", new OwnNames(Set.of("localhost", "127.0.0.1", "[::1]"), "http", 8080,
          List.of(URI.create("https://noc.example.net"), URI.create("http://10.0.0.5:8081/")),
          List.of("https://grafana.example.net")),
      "http80", new OwnNames(Set.of("hub.lan"), "http", 80, List.of(), List.of()),
      "https443", new OwnNames(Set.of("Hub.LAN"), "https", 443, List.of(), List.of()),
      // An address URL as an operator may write it; browsers send its short form in Host.
      "v6public", new OwnNames(Set.of("localhost"), "http", 8080,
          List.of(URI.create("http://[2001:db8::5]:8080"), URI.create("http://[2001:DB8:0:0:0:0:0:6]:8080")), List.of()));

  @ParameterizedTest(name = "{0}: Host {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      loopback | localhost:8080          | true
      loopback | LocalHost:8080          | true
      loopback | 127.0.0.1:8080          | true
      loopback | [::1]:8080              | true
      loopback | localhost               | false
      loopback | localhost:80            | false
      loopback | localhost:8081          | false
      loopback | localhost.:8080         | false
      loopback | noc.example.net         | true
      loopback | noc.example.net:443     | true
      loopback | NOC.Example.NET         | true
      loopback | noc.example.net:8080    | false
      loopback | 10.0.0.5:8081           | true
      loopback | 10.0.0.5                | false
      loopback | 10.0.0.5:8080           | false
      loopback | evil.test               | false
      loopback | evil.test:8080          | false
      loopback | grafana.example.net     | false
      loopback | ''                      | false
      loopback |                         | false
      http80   | hub.lan                 | true
      http80   | hub.lan:80              | true
      http80   | hub.lan:443             | false
      https443 | hub.lan                 | true
      https443 | HUB.lan:443             | true
      https443 | hub.lan:80              | false
      v6public | [2001:db8::5]:8080      | true
      v6public | [2001:db8::6]:8080      | true
      v6public | [2001:db8::5]           | false
      """)
  void hostMustBeOneOfTheHubsNames(String hub, String host, boolean allowed) {
    assertEquals(allowed, HUBS.get(hub).hostAllowed(host));
  }

  @ParameterizedTest(name = "{0}: Origin {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      loopback | http://localhost:8080                | true
      loopback | http://LOCALHOST:8080                | true
      loopback | http://127.0.0.1:8080                | true
      loopback | http://[::1]:8080                    | true
      loopback | https://localhost:8080               | false
      loopback | http://localhost                     | false
      loopback | http://localhost:8081                | false
      loopback | https://noc.example.net              | true
      loopback | https://noc.example.net:443          | true
      loopback | http://noc.example.net               | false
      loopback | http://10.0.0.5:8081                 | true
      loopback | https://grafana.example.net          | true
      loopback | https://grafana.example.net:8443     | false
      loopback | https://evil.test                    | false
      loopback | http://localhost:8080.evil.test      | false
      loopback | null                                 | false
      loopback |                                      | false
      http80   | http://hub.lan                       | true
      http80   | http://hub.lan:80                    | true
      http80   | https://hub.lan                      | false
      https443 | https://hub.lan                      | true
      https443 | http://hub.lan                       | false
      """)
  void originMustBeOwnOrListed(String hub, String origin, boolean allowed) {
    assertEquals(allowed, HUBS.get(hub).originAllowed(origin));
  }

  /** As a browser writes an address in Host: RFC 5952's short form for IPv6, in brackets. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1                               | 127.0.0.1
      192.0.2.10                              | 192.0.2.10
      ::1                                     | [::1]
      0:0:0:0:0:0:0:1                         | [::1]
      ::                                      | [::]
      2001:db8::1                             | [2001:db8::1]
      2001:0DB8:0000:0000:0000:0000:0000:0001 | [2001:db8::1]
      fe80::1                                 | [fe80::1]
      2001:db8:0:1:1:1:1:1                    | [2001:db8:0:1:1:1:1:1]
      2001:db8:0:0:1:0:0:1                    | [2001:db8::1:0:0:1]
      2001:0:0:1:0:0:0:1                      | [2001:0:0:1::1]
      1:0:0:0:0:0:0:0                         | [1::]
      0:0:0:0:0:0:0:2001                      | [::2001]
      2001:db8:aaaa:bbbb:cccc:dddd:0:1        | [2001:db8:aaaa:bbbb:cccc:dddd:0:1]
      """)
  void text(String literal, String expected) throws Exception {
    assertEquals(expected, OwnNames.text(InetAddress.getByName(literal)));
  }

  @Test
  void textLeavesTheZoneOut() throws Exception {
    InetAddress linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
    assertEquals("[fe80::1]", OwnNames.text(linkLocal));
  }
}

package io.ifpulse.web;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.config.Cidr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class ForwardedTest {
  private static final List<Cidr> PROXIES = List.of(Cidr.parse("web.trustedProxies", "10.0.0.0/8"),
      Cidr.parse("web.trustedProxies", "192.0.2.7"), Cidr.parse("web.trustedProxies", "2001:db8:ff::/48"));

  /**
   * Columns: the connection's peer, its Host, whether it is TLS, the three X-Forwarded headers
   * (empty: not sent), then the Host, scheme and client address the hub goes by.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      untrusted peer: headers ignored           | 203.0.113.9    | hub:8080 | false | evil.test       | https      | 198.51.100.7                        | hub:8080        | http  | 203.0.113.9
      untrusted peer over TLS                   | 203.0.113.9    | hub:8443 | true  | evil.test       | http       | 198.51.100.7                        | hub:8443        | https | 203.0.113.9
      next to a trusted single address          | 192.0.2.8      | hub:8080 | false | evil.test       | https      | 198.51.100.7                        | hub:8080        | http  | 192.0.2.8
      no peer address                           |                | hub:8080 | false | evil.test       | https      | 198.51.100.7                        | hub:8080        | http  |
      trusted block: believed                   | 10.0.0.2       | hub:8080 | false | noc.example.net | https      | 198.51.100.7                        | noc.example.net | https | 198.51.100.7
      trusted single address: believed          | 192.0.2.7      | hub:8080 | false | noc.example.net | https      | 198.51.100.7                        | noc.example.net | https | 198.51.100.7
      trusted IPv6 block: believed              | 2001:db8:ff::1 | hub:8080 | false | noc.example.net | https      | 2001:db8::77                        | noc.example.net | https | 2001:db8::77
      trusted IPv4-mapped peer                  | ::ffff:10.0.0.2| hub:8080 | false | noc.example.net | https      | 198.51.100.7                        | noc.example.net | https | 198.51.100.7
      trusted, no headers                       | 10.0.0.2       | hub:8080 | true  |                 |            |                                     | hub:8080        | https | 10.0.0.2
      several hosts: the first                  | 10.0.0.2       | hub:8080 | false | a.example, b.ex | http       |                                     | a.example       | http  | 10.0.0.2
      proto in capitals                         | 10.0.0.2       | hub:8080 | false |                 | HTTPS      |                                     | hub:8080        | https | 10.0.0.2
      proto http over a TLS hop                 | 10.0.0.2       | hub:8443 | true  |                 | http       |                                     | hub:8443        | http  | 10.0.0.2
      proto ftp ignored                         | 10.0.0.2       | hub:8080 | false |                 | ftp        |                                     | hub:8080        | http  | 10.0.0.2
      proto wss ignored over TLS                | 10.0.0.2       | hub:8443 | true  |                 | wss        |                                     | hub:8443        | https | 10.0.0.2
      proto empty ignored                       | 10.0.0.2       | hub:8080 | false |                 | ''         |                                     | hub:8080        | http  | 10.0.0.2
      proto list: the first                     | 10.0.0.2       | hub:8080 | false |                 | 'https, http' |                                  | hub:8080        | https | 10.0.0.2
      client: the rightmost untrusted hop       | 10.0.0.2       | hub:8080 | false |                 |            | '198.51.100.66, 198.51.100.7, 10.0.0.3' | hub:8080    | http  | 198.51.100.7
      client: what the client wrote is ignored  | 10.0.0.2       | hub:8080 | false |                 |            | '1.1.1.1, 198.51.100.7'             | hub:8080        | http  | 198.51.100.7
      client: no spaces                         | 10.0.0.2       | hub:8080 | false |                 |            | '1.1.1.1,198.51.100.7,192.0.2.7'    | hub:8080        | http  | 198.51.100.7
      client: IPv6 hop                          | 10.0.0.2       | hub:8080 | false |                 |            | 2001:db8::77                        | hub:8080        | http  | 2001:db8::77
      garbage: believe nothing                  | 10.0.0.2       | hub:8080 | false |                 |            | garbage                             | hub:8080        | http  | 10.0.0.2
      garbage right of the client               | 10.0.0.2       | hub:8080 | false |                 |            | '198.51.100.7, not-an-ip'           | hub:8080        | http  | 10.0.0.2
      garbage between trusted hops              | 10.0.0.2       | hub:8080 | false |                 |            | '198.51.100.7, evil.test, 10.0.0.3' | hub:8080        | http  | 10.0.0.3
      garbage left of the client                | 10.0.0.2       | hub:8080 | false |                 |            | 'not-an-ip, 198.51.100.7'           | hub:8080        | http  | 198.51.100.7
      a port is not an address                  | 10.0.0.2       | hub:8080 | false |                 |            | 198.51.100.7:4711                   | hub:8080        | http  | 10.0.0.2
      empty header                              | 10.0.0.2       | hub:8080 | false |                 |            | ''                                  | hub:8080        | http  | 10.0.0.2
      every hop trusted: the first of the chain | 10.0.0.2       | hub:8080 | false |                 |            | '10.0.0.5, 10.0.0.3'                | hub:8080        | http  | 10.0.0.5
      client: bracketed IPv6 hop                | 10.0.0.2       | hub:8080 | false |                 |            | '[2001:db8::77]'                    | hub:8080        | http  | 2001:db8::77
      """)
  void forwardedHeadersOnlyFromTrustedProxies(String name, String peer, String host, boolean tls, String xfHost,
      String xfProto, String xfFor, String expectedHost, String expectedScheme, String expectedClient) {
    Forwarded f = Forwarded.of(peer, host, tls, xfHost, xfProto, xfFor, PROXIES);
    assertEquals(new Forwarded(expectedHost, expectedScheme, expectedClient), f, name);
  }

  @org.junit.jupiter.api.Test
  void noTrustedProxiesMeansNoForwardedHeaders() {
    Forwarded f = Forwarded.of("10.0.0.2", "hub:8080", false, "noc.example.net", "https", "198.51.100.7", List.of());
    assertEquals(new Forwarded("hub:8080", "http", "10.0.0.2"), f);
  }
}

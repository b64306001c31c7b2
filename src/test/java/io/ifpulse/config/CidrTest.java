package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.NameLookups;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/8          | 10.1.2.3            | true
      10.0.0.0/8          | 10.255.255.255      | true
      10.0.0.0/8          | 11.0.0.1            | false
      10.0.0.0/8          | ::ffff:10.1.2.3     | true
      192.0.2.7           | 192.0.2.7           | true
      192.0.2.7           | 192.0.2.8           | false
      192.0.2.7/32        | 192.0.2.7           | true
      192.0.2.0/25        | 192.0.2.127         | true
      192.0.2.0/25        | 192.0.2.128         | false
      172.16.0.0/12       | 172.31.255.255      | true
      172.16.0.0/12       | 172.32.0.0          | false
      172.16.0.0/12       | 172.15.255.255      | false
      10.9.9.9/8          | 10.1.2.3            | true
      0.0.0.0/0           | 203.0.113.1         | true
      0.0.0.0/0           | 2001:db8::1         | false
      127.0.0.1           | ::1                 | false
      fd00::/8            | fd12:3456::1        | true
      fd00::/8            | fe00::1             | false
      2001:db8::/32       | 2001:db8:ffff::1    | true
      2001:db8::/32       | 2001:db9::1         | false
      2001:db8::/33       | 2001:db8:7fff::1    | true
      2001:db8::/33       | 2001:db8:8000::1    | false
      2001:db8::1         | 2001:db8:0:0:0:0:0:1 | true
      2001:db8::1         | 2001:db8::2         | false
      [2001:db8::1]       | 2001:db8::1         | true
      2001:DB8::/32       | 2001:db8::9         | true
      ::/0                | ::1                 | true
      ::/0                | 127.0.0.1           | false
      ::1/128             | 0:0:0:0:0:0:0:1     | true
      """)
  void parseAndContain(String block, String address, boolean contains) {
    Cidr c = Cidr.parse("web.trustedProxies", block);
    assertEquals(contains, c.contains(Cidr.literal(address)));
    assertEquals(block, c.toString());
  }

  @Test
  void noAddressIsInNoBlock() {
    assertFalse(Cidr.parse("web.trustedProxies", "0.0.0.0/0").contains(null));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', textBlock = """
      proxy.example       | web.trustedProxies = "proxy.example": must be an IP address
      localhost           | web.trustedProxies = "localhost": must be an IP address
      proxy.example/24    | web.trustedProxies = "proxy.example/24": must be an IP address
      10.0.0              | web.trustedProxies = "10.0.0": must be an IP address
      10.0.0.0:8          | web.trustedProxies = "10.0.0.0:8": must be an IP address
      ''                  | web.trustedProxies = "": must be an IP address
      10.0.0.0/33         | web.trustedProxies = "10.0.0.0/33": has a prefix length outside 0-32
      10.0.0.0/-1         | web.trustedProxies = "10.0.0.0/-1": has a prefix length outside 0-32
      10.0.0.0/           | web.trustedProxies = "10.0.0.0/": has a prefix length outside 0-32
      10.0.0.0/eight      | web.trustedProxies = "10.0.0.0/eight": has a prefix length outside 0-32
      2001:db8::/129      | web.trustedProxies = "2001:db8::/129": has a prefix length outside 0-128
      """)
  void refusedNamesFieldAndValue(String value, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse("web.trustedProxies", value));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    assertEquals("web.trustedProxies", e.field());
  }

  @Test
  void notATextIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse("web.trustedProxies", 42));
    assertTrue(e.getMessage().startsWith("web.trustedProxies = 42: "), e.getMessage());
  }

  /** Literals in, addresses out; anything else is null. The address column is Java's full form. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1            | /127.0.0.1
      192.0.2.255          | /192.0.2.255
      ::1                  | /0:0:0:0:0:0:0:1
      [::1]                | /0:0:0:0:0:0:0:1
      2001:DB8::1          | /2001:db8:0:0:0:0:0:1
      ::ffff:192.0.2.1     | /192.0.2.1
      localhost            |
      example.com          |
      evil.example:80      |
      192.0.2.1:80         |
      1.2.3                |
      ''                   |
      """)
  void literal(String text, String expected) {
    InetAddress a = Cidr.literal(text);
    assertEquals(expected, a == null ? null : a.toString());
  }

  @Test
  void literalOfNullIsNull() {
    assertNull(Cidr.literal(null));
  }

  /** Prints literal() of each argument; run by {@link #literalNeverLooksANameUp} under a hosts file. */
  static final class LiteralProbe {
    public static void main(String[] args) {
      for (String a : args) System.out.println(a + " -> " + Cidr.literal(a));
    }
  }

  @Test
  void literalNeverLooksANameUp() throws Exception {
    // The probe's hosts file answers every one of these: a lookup would show as an address.
    List<String> names = List.of("localhost", "example.com", "proxy.example", "evil.example:80", "256.1.1.1", "999.1.1.1",
        "10.0.0.300", ".dead:beef", "1.2.3");
    List<String> lines = NameLookups.run(LiteralProbe.class, names);
    assertEquals(names.stream().map(n -> n + " -> null").toList(), lines);
  }
}

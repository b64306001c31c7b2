package io.ifpulse.config;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class ConfigLoaderTest {

  /** Each broken config must name the field and the value, and never show a secret. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no devices list            | {}                                                                                     | devices = (missing)
      device not an object       | {"devices":[42]}                                                                       | devices[0] = 42
      bad id                     | {"devices":[{"id":"a b","host":"h"}]}                                                  | devices[0].id = "a b"
      duplicate id               | {"devices":[{"id":"a","host":"h"},{"id":"a","host":"h"}]}                              | devices[1].id = "a"
      missing host               | {"devices":[{"id":"a"}]}                                                               | devices[0].host = (missing)
      port out of range          | {"devices":[{"id":"a","host":"h","port":70000}]}                                       | devices[0].port = 70000
      port not a number          | {"devices":[{"id":"a","host":"h","port":"x"}]}                                         | devices[0].port = "x"
      unknown version            | {"devices":[{"id":"a","host":"h","version":"v4"}]}                                     | devices[0].version = "v4"
      typo in a key              | {"devices":[{"id":"a","host":"h","intervalMS":1000}]}                                  | devices[0].intervalMS = 1000
      interval too short         | {"devices":[{"id":"a","host":"h","intervalMs":5}]}                                     | devices[0].intervalMs = 5
      bad default                | {"defaults":{"timeoutMs":-1},"devices":[{"id":"a","host":"h"}]}                        | defaults.timeoutMs = -1
      unknown top-level key      | {"devicez":[],"devices":[]}                                                            | devicez = [...]
      v3 without v3 block        | {"devices":[{"id":"a","host":"h","version":"v3"}]}                                     | devices[0].v3 = (missing)
      v3 unknown auth            | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-999","authPassphrase":"12345678"}}]} | devices[0].v3.authProtocol = "SHA-999"
      v3 short passphrase        | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-256","authPassphrase":"short"}}]} | devices[0].v3.authPassphrase = <secret>
      v3 priv without auth       | {"devices":[{"id":"a","host":"h","version":"v3","v3":{"user":"u","privProtocol":"AES-128","privPassphrase":"12345678"}}]} | devices[0].v3.privProtocol = "AES-128"
      bad regex                  | {"devices":[{"id":"a","host":"h","interfaces":{"includeName":"(eth"}}]}                | devices[0].interfaces.includeName = "(eth"
      bad oper status            | {"devices":[{"id":"a","host":"h","interfaces":{"operStatus":["upp"]}}]}                | devices[0].interfaces.operStatus = "upp"
      bad ifType                 | {"devices":[{"id":"a","host":"h","interfaces":{"types":["eth"]}}]}                     | devices[0].interfaces.types = "eth"
      empty community            | {"devices":[{"id":"a","host":"h","community":""}]}                                     | devices[0].community = <secret>
      unset environment variable | {"devices":[{"id":"a","host":"h","community":"${IFPULSE_TEST_UNSET_VAR}"}]}            | devices[0].community = "${IFPULSE_TEST_UNSET_VAR}"
      enabled not boolean        | {"devices":[{"id":"a","host":"h","enabled":"yes"}]}                                    | devices[0].enabled = "yes"
      bad simulator model        | {"devices":[{"id":"a","sim":{"model":"flat"}}]}                                        | devices[0].sim.model = "flat"
      unknown credential         | {"credentials":{"a":{"community":"x"}},"devices":[{"id":"d","host":"h","credentials":"b"}]}    | devices[0].credentials = "b"
      credential and inline      | {"credentials":{"a":{"community":"x"}},"devices":[{"id":"d","host":"h","credentials":"a","community":"y"}]} | devices[0].credentials = "a"
      credential bad name        | {"credentials":{"a b":{"community":"x"}},"devices":[]}                                 | credentials = "a b"
      credential unknown key     | {"credentials":{"a":{"communty":"x"}},"devices":[]}                                    | credentials.a.communty
      credential v3 without v3   | {"credentials":{"a":{"version":"v3"}},"devices":[]}                                    | credentials.a.v3 = (missing)
      credential short phrase    | {"credentials":{"a":{"version":"v3","v3":{"user":"u","authProtocol":"SHA","authPassphrase":"short"}}},"devices":[]} | credentials.a.v3.authPassphrase = <secret>
      credential empty community | {"credentials":{"a":{"community":""}},"devices":[]}                                     | credentials.a.community = <secret>
      defaults name unknown      | {"defaults":{"credentials":"zz"},"devices":[{"id":"d","host":"h"}]}                    | defaults.credentials = "zz"
      version against credential | {"credentials":{"a":{"version":"v1","community":"x"}},"devices":[{"id":"d","host":"h","credentials":"a","version":"v2c"}]} | devices[0].version = "v2c"
      v3 credential for sim      | {"credentials":{"a":{"version":"v3","v3":{"user":"u"}}},"devices":[{"id":"d","credentials":"a","sim":{"model":"steady"}}]} | devices[0].credentials = "a"
      host with a dollar         | {"devices":[{"id":"a","host":"h$x"}]}                                                  | devices[0].host = "h$x"
      simulated with host        | {"devices":[{"id":"a","host":"h","sim":{"model":"steady"}}]}                           | devices[0].host = "h"
      unknown read group         | {"devices":[{"id":"a","host":"h","read":["octets","bytes"]}]}                          | devices[0].read = "bytes"
      read not a list            | {"defaults":{"read":"octets"},"devices":[{"id":"a","host":"h"}]}                       | defaults.read = "octets"
      read status only           | {"devices":[{"id":"a","host":"h","read":["status"]}]}                                  | devices[0].read = [...]
      poll slot of zero          | {"poller":{"slotMs":0},"devices":[]}                                                   | poller.slotMs = 0
      poll slot not a number     | {"poller":{"slotMs":"fine"},"devices":[]}                                              | poller.slotMs = "fine"
      web auth mode              | {"web":{"auth":{"mode":"maybe"}},"devices":[]}                                         | web.auth.mode = "maybe"
      web auth unknown key       | {"web":{"auth":{"password":"12345678"}},"devices":[]}                                  | web.auth.password = <secret>
      web users file empty       | {"web":{"auth":{"usersFile":""}},"devices":[]}                                         | web.auth.usersFile = ""
      web session idle zero      | {"web":{"auth":{"sessionIdleMinutes":0}},"devices":[]}                                 | web.auth.sessionIdleMinutes = 0
      web sign-in burst zero     | {"web":{"auth":{"signInPerSource":{"burst":0}}},"devices":[]}                          | web.auth.signInPerSource.burst = 0
      web sign-in not an object  | {"web":{"auth":{"signInPerUser":20}},"devices":[]}                                     | web.auth.signInPerUser = 20
      web public URL not http    | {"web":{"publicUrls":["ftp://x"]},"devices":[]}                                        | web.publicUrls = "ftp://x"
      web public URL with a path | {"web":{"publicUrls":["https://noc.example.net/ifpulse"]},"devices":[]}                | web.publicUrls = "https://noc.example.net/ifpulse"
      web public URL with a user | {"web":{"publicUrls":["https://me@noc.example.net"]},"devices":[]}                     | web.publicUrls = "https://me@noc.example.net"
      web origin without scheme  | {"web":{"allowedOrigins":["noc.example.net"]},"devices":[]}                            | web.allowedOrigins = "noc.example.net"
      web proxy by name          | {"web":{"trustedProxies":["proxy.example"]},"devices":[]}                              | web.trustedProxies = "proxy.example"
      web proxy prefix too long  | {"web":{"trustedProxies":["10.0.0.0/33"]},"devices":[]}                                | web.trustedProxies = "10.0.0.0/33"
      web TLS cert missing       | {"web":{"tls":{"certFile":"/nonexistent/ifpulse/cert.pem","keyFile":"/nonexistent/ifpulse/key.pem"}},"devices":[]} | web.tls.certFile = "/nonexistent/ifpulse/cert.pem"
      web TLS without cert       | {"web":{"tls":{}},"devices":[]}                                                        | web.tls.certFile = (missing)
      web TLS not an object      | {"web":{"tls":"cert.pem"},"devices":[]}                                                | web.tls = "cert.pem"
      web sockets per user zero  | {"web":{"maxSocketsPerUser":0},"devices":[]}                                           | web.maxSocketsPerUser = 0
      device tag with a space    | {"devices":[{"id":"a","host":"h","tags":["core sw"]}]}                                 | devices[0].tags = "core sw"
      device tags not a list     | {"devices":[{"id":"a","host":"h","tags":"core"}]}                                      | devices[0].tags = "core"
      device tags an object      | {"devices":[{"id":"a","host":"h","tags":{"core":true}}]}                               | devices[0].tags = {...}
      device tag not a text      | {"devices":[{"id":"a","host":"h","tags":[7]}]}                                         | devices[0].tags = 7
      """)
  void brokenConfigNamesFieldAndValue(String name, String json, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(new JsonObject(json), Map.of()), name);
    assertTrue(e.getMessage().startsWith(expectedStart), name + ": got \"" + e.getMessage() + "\"");
    assertFalse(e.getMessage().contains("12345678") || e.getMessage().contains("short\""), "no secret in: " + e.getMessage());
  }

  @Test
  void defaultsApplyAndDevicesOverride() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"defaults":{"intervalMs":2000,"community":"c1"},
         "devices":[{"id":"a","host":"h"},{"id":"b","host":"h","intervalMs":500,"community":"c2"}]}"""), Map.of());
    assertEquals(2000, c.devices().get(0).intervalMs());
    assertEquals(500, c.devices().get(1).intervalMs());
    assertEquals("c1", c.devices().get(0).community().reveal());
    assertEquals("c2", c.devices().get(1).community().reveal());
    assertEquals(161, c.devices().get(0).port());
    assertEquals(ReadGroup.ALL, c.devices().get(0).read());
    assertEquals(PollerConfig.defaults(), c.poller());
  }

  @Test
  void pollerSettingsAreRead() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"poller":{"maxInFlight":64,"slotMs":250},"devices":[]}"""), Map.of());
    assertEquals(new PollerConfig(64, 250), c.poller());
  }

  @Test
  void readGroupsComeFromDefaultsOrDevice() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"defaults":{"read":["octets","status"]},
         "devices":[{"id":"a","host":"h"},{"id":"b","host":"h","read":["octets"]}]}"""), Map.of());
    assertEquals(java.util.Set.of(ReadGroup.OCTETS, ReadGroup.STATUS), c.devices().get(0).read());
    assertEquals(java.util.Set.of(ReadGroup.OCTETS), c.devices().get(1).read());
  }

  @Test
  void environmentFillsSecretsAndOverridesFields() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices":[{"id":"a","host":"h","community":"${COMM}"},{"id":"b","host":"${HOST_B:-fallback}"}]}"""),
        Map.of("COMM", "from-env", "IFPULSE__devices__0__port", "1161", "IFPULSE__defaults__intervalMs", "250"));
    assertEquals("from-env", c.devices().get(0).community().reveal());
    assertEquals("fallback", c.devices().get(1).host());
    assertEquals(1161, c.devices().get(0).port());
    assertEquals(250, c.devices().get(1).intervalMs());
  }

  @Test
  void secretsNeverPrint() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices":[{"id":"a","host":"h","community":"topsecret"},
          {"id":"b","host":"h","version":"v3","v3":{"user":"u","authProtocol":"SHA-512","authPassphrase":"authsecret1",
            "privProtocol":"AES-256","privPassphrase":"privsecret1"}}]}"""), Map.of());
    String printed = c.toString() + c.devices();
    assertFalse(printed.contains("topsecret") || printed.contains("authsecret1") || printed.contains("privsecret1"), printed);
    assertTrue(c.devices().get(1).v3().toString().contains("<secret>"));
    assertEquals("authPriv", c.devices().get(1).v3().level());
    assertNotNull(c.devices().get(1).v3().privPassphrase());
  }

  @Test
  void webSettingsAreRead() {
    WebConfig w = ConfigLoader.parse(new JsonObject("""
        {"web":{"publicUrls":["https://noc.example.net","http://10.0.0.5:8080/"],
                "trustedProxies":["10.0.0.0/8","2001:db8::1"],"allowedOrigins":["https://grafana.example.net"],
                "maxSocketsPerUser":5},
         "devices":[]}"""), Map.of()).web();
    assertEquals(List.of(URI.create("https://noc.example.net"), URI.create("http://10.0.0.5:8080/")), w.publicUrls());
    assertEquals(List.of("10.0.0.0/8", "2001:db8::1"), w.trustedProxies().stream().map(Cidr::toString).toList());
    assertTrue(w.trustedProxies().get(0).contains(Cidr.literal("10.1.2.3")));
    assertTrue(w.trustedProxies().get(1).contains(Cidr.literal("2001:db8:0:0:0:0:0:1")));
    assertEquals(List.of("https://grafana.example.net"), w.allowedOrigins());
    assertEquals(5, w.maxSocketsPerUser());
    assertNull(w.tls());
    assertEquals("http", w.scheme());
  }

  /** Sign-in is on by default, the users file in the home directory; a limit given in part keeps the rest of its default. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no web section     | {"devices":[]}                                        | USERS | ~/.ifpulse/users.json   | 480 | 5 | 10 | 20 | 30
      empty auth section | {"web":{"auth":{}},"devices":[]}                      | USERS | ~/.ifpulse/users.json   | 480 | 5 | 10 | 20 | 30
      all set            | {"web":{"auth":{"mode":"none","usersFile":"/etc/ifpulse/users.json","sessionIdleMinutes":60,"signInPerSource":{"burst":3,"perMinute":2},"signInPerUser":{"burst":50,"perMinute":100}}},"devices":[]} | NONE | /etc/ifpulse/users.json | 60 | 3 | 2 | 50 | 100
      limits half set    | {"web":{"auth":{"signInPerSource":{"burst":3},"signInPerUser":{"perMinute":6}}},"devices":[]} | USERS | ~/.ifpulse/users.json | 480 | 3 | 10 | 20 | 6
      """)
  void authSettings(String name, String json, WebConfig.AuthConfig.Mode mode, String usersFile, int idleMinutes, int sourceBurst,
      double sourcePerMinute, int userBurst, double userPerMinute) {
    WebConfig.AuthConfig a = ConfigLoader.parse(new JsonObject(json), Map.of()).web().auth();
    assertEquals(new WebConfig.AuthConfig(mode, usersFile, idleMinutes, new WebConfig.RateLimit(sourceBurst, sourcePerMinute),
        new WebConfig.RateLimit(userBurst, userPerMinute)), a, name);
  }

  @Test
  void deviceTagsAreReadOnceEach() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"devices":[{"id":"a","host":"h","tags":["core","site:ams","core"]},{"id":"b","host":"h"}]}"""), Map.of());
    assertEquals(List.of("core", "site:ams"), c.devices().get(0).tags());
    assertEquals(List.of(), c.devices().get(1).tags());
  }

  private static final String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  private static final String KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

  /**
   * Columns: what cert.pem and key.pem hold (missing: no such file; -: not given), the message
   * ($cert and $key: their paths).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no key file                  | cert | -       | web.tls.keyFile = (missing): is required with web.tls
      key file missing             | cert | missing | web.tls.keyFile = "$key": cannot be read
      certificate not PEM          | text | key     | web.tls.certFile = "$cert": holds no PEM CERTIFICATE block
      key file holds a certificate | cert | cert    | web.tls.keyFile = "$key": holds no PEM PRIVATE KEY block
      unknown TLS key              | cert | key     | web.tls.password = <secret>
      """)
  void brokenTlsNamesFieldAndValue(String name, String cert, String key, String expectedStart, @TempDir Path dir) throws Exception {
    Path certFile = pemFile(dir.resolve("cert.pem"), cert);
    Path keyFile = pemFile(dir.resolve("key.pem"), key);
    JsonObject tls = new JsonObject().put("certFile", certFile.toString());
    if (!"-".equals(key)) tls.put("keyFile", keyFile.toString());
    if (name.startsWith("unknown")) tls.put("password", "12345678");
    JsonObject json = new JsonObject().put("web", new JsonObject().put("tls", tls)).put("devices", new io.vertx.core.json.JsonArray());
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, Map.of()), name);
    String expected = expectedStart.replace("$cert", certFile.toString()).replace("$key", keyFile.toString());
    assertTrue(e.getMessage().startsWith(expected), name + ": got \"" + e.getMessage() + "\"");
    assertFalse(e.getMessage().contains("12345678"), e.getMessage());
  }

  private static Path pemFile(Path p, String content) throws java.io.IOException {
    switch (content) {
      case "cert" -> Files.writeString(p, CERT_PEM);
      case "key" -> Files.writeString(p, KEY_PEM);
      case "text" -> Files.writeString(p, "not a certificate\n");
      default -> { } // missing or not given: no file
    }
    return p;
  }

  @Test
  void tlsSettingsAreRead(@TempDir Path dir) throws Exception {
    Path cert = pemFile(dir.resolve("cert.pem"), "cert");
    Path key = pemFile(dir.resolve("key.pem"), "key");
    WebConfig w = ConfigLoader.parse(new JsonObject().put("web", new JsonObject().put("tls",
        new JsonObject().put("certFile", cert.toString()).put("keyFile", key.toString()))).put("devices", new io.vertx.core.json.JsonArray()),
        Map.of()).web();
    assertEquals(new WebConfig.Tls(cert.toString(), key.toString()), w.tls());
    assertEquals("https", w.scheme());
  }

  @Test
  void devicesNameCredentialsOrCarryTheirOwn() {
    HubConfig c = ConfigLoader.parse(new JsonObject("""
        {"credentials": {"core-ro": {"community": "from-credential"},
                         "edge-v3": {"version": "v3", "v3": {"user": "mon", "authProtocol": "SHA-256", "authPassphrase": "12345678"}}},
         "defaults": {"credentials": "core-ro"},
         "devices": [{"id": "a", "host": "h"},
                     {"id": "b", "host": "h", "credentials": "edge-v3"},
                     {"id": "c", "host": "h", "community": "inline"},
                     {"id": "d", "host": "h", "version": "v3", "v3": {"user": "mon", "authProtocol": "SHA-256", "authPassphrase": "87654321"}}]}"""),
        Map.of());
    DeviceConfig a = c.devices().get(0);
    assertEquals("core-ro", a.credentials());
    assertEquals("from-credential", a.community().reveal());
    assertEquals("edge-v3", c.devices().get(1).credentials());
    assertEquals(SnmpVersion.V3, c.devices().get(1).version());
    assertEquals("inline", c.devices().get(2).community().reveal(), "a device's own community wins over the defaults' credential");
    assertEquals(null, c.devices().get(2).credentials());
    assertEquals("(inline)", c.devices().get(2).credentialsLabel());
    // Two credentials with one v3 user name and different passphrases are fine: users are per engine ID.
    assertEquals("mon", c.devices().get(3).v3().user());
    assertEquals(java.util.Set.of("core-ro", "edge-v3"), c.credentials().names());
    assertFalse(c.toString().contains("from-credential"), "no secret in the config's string form");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      inline community          | {"id":"x","host":"h","community":"${HOME}"}                       | device.community = (not shown)
      inline v3                 | {"id":"x","host":"h","credentials":"lab","v3":{"user":"u"}}        | device.v3 = (not shown)
      no credentials            | {"id":"x","host":"h"}                                              | device.credentials = (missing)
      credentials not a string  | {"id":"x","host":"h","credentials":{"community":"c"}}             | device.credentials = {...}
      host is not expanded      | {"id":"x","host":"${HOME}","credentials":"lab"}                   | device.host = "${HOME}"
      simulated                 | {"id":"x","credentials":"lab","sim":{"model":"steady"}}           | device.sim = {...}
      """)
  void runtimeEntriesNameACredentialAndCarryNoSecret(String name, String json, String expectedStart) {
    Credentials creds = ConfigLoader.parse(new JsonObject("""
        {"credentials": {"lab": {"community": "the-lab-community"}}, "devices": []}"""), Map.of()).credentials();
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.runtimeDevice(new JsonObject(json), new JsonObject().put("community", "defaults-community"), creds), name);
    assertTrue(e.getMessage().startsWith(expectedStart), name + ": got \"" + e.getMessage() + "\"");
    assertFalse(e.getMessage().contains(System.getProperty("user.home")), "no environment value in: " + e.getMessage());
    assertFalse(e.getMessage().contains("community\":") || e.getMessage().contains("the-lab-community"), e.getMessage());
  }

  @Test
  void aRuntimeEntryUsesTheNamedCredentialNeverTheDefaultsCommunity() {
    Credentials creds = ConfigLoader.parse(new JsonObject("""
        {"credentials": {"lab": {"community": "the-lab-community"}}, "devices": []}"""), Map.of()).credentials();
    JsonObject defaults = new JsonObject().put("community", "production").put("intervalMs", 2000);
    DeviceConfig d = ConfigLoader.runtimeDevice(new JsonObject().put("id", "x").put("host", "h").put("credentials", "lab"), defaults, creds);
    assertEquals("the-lab-community", d.community().reveal());
    assertEquals(2000, d.intervalMs(), "timing still comes from the defaults");
    DeviceConfig elsewhere = ConfigLoader.runtimeDevice(new JsonObject().put("id", "y").put("host", "h").put("credentials", "not-here"),
        defaults, creds);
    assertEquals(null, elsewhere.credential(), "a credential of another node: no secret here, and no error");
    assertEquals("not-here", elsewhere.credentialsLabel());
  }
}

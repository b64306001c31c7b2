package io.ifpulse.testing;

import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import io.ifpulse.testing.SnmpTestClient.V3User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivDES;

/**
 * Debian's real net-snmp agent ({@code /usr/sbin/snmpd}, 5.9) in the foreground on
 * {@code udp:127.0.0.1:<free port>}, serving this host's real interfaces (IF-MIB from the kernel).
 *
 * <p>Command line (see {@link #commandLine()}):
 *
 * <pre>
 * SNMP_PERSISTENT_DIR=&lt;tmp&gt;/persist MIBS= /usr/sbin/snmpd -f -Lo -C -c &lt;tmp&gt;/snmpd.conf \
 *     -p &lt;tmp&gt;/snmpd.pid udp:127.0.0.1:&lt;port&gt;
 * </pre>
 *
 * {@code -C} reads no configuration but ours, so {@code /etc/snmp} is ignored; the persistent
 * directory (where snmpd localizes the {@code createUser} lines into {@code usmUser} lines) is a
 * fresh temp directory, so nothing under {@code /var/lib/snmp} is touched; {@code MIBS=} (empty)
 * stops snmpd from parsing MIB files it would only use for log messages. The interface MIB
 * cache timeout is left at snmpd's default on purpose: tests see its caching.
 *
 * <p>Users: community {@value #COMMUNITY} (v1/v2c, read-only, from 127.0.0.1) and the v3 users
 * below, all read-only. {@code createUser} in the main config file works in net-snmp 5.9 (the
 * agent persists the localized keys into the temp persistent dir). The installed Debian build
 * (5.9.3+dfsg-2+deb12u1) accepts MD5, SHA, SHA-224/256/384/512 auth and DES, AES(-128),
 * AES-192/256 (Blumenthal) and AES192C/AES256C (Reeder) priv; {@link #desSupported()} checks DES
 * at run time, since other builds drop it.
 */
public final class Snmpd implements AutoCloseable {

  public static final String COMMUNITY = "public";

  public static final String SHA256_AES_USER = "authPrivSha256Aes";
  public static final String SHA256_AES_AUTH_PASSPHRASE = "ifpulse-sha256-auth";
  public static final String SHA256_AES_PRIV_PASSPHRASE = "ifpulse-aes128-priv";

  public static final String SHA_DES_USER = "authPrivShaDes";
  public static final String SHA_DES_AUTH_PASSPHRASE = "ifpulse-sha1-auth";
  public static final String SHA_DES_PRIV_PASSPHRASE = "ifpulse-des-priv";

  public static final String SHA_NOPRIV_USER = "authNoPrivSha";
  public static final String SHA_NOPRIV_AUTH_PASSPHRASE = "ifpulse-sha1-nopriv";

  public static final String NOAUTH_USER = "noAuthUser";

  /** authPriv: HMAC-SHA-256 (usmHMAC192SHA256AuthProtocol) + AES-128 (CFB). */
  public static final V3User AUTH_PRIV_SHA256_AES =
      new V3User(
          SHA256_AES_USER,
          AuthHMAC192SHA256.ID,
          SHA256_AES_AUTH_PASSPHRASE,
          PrivAES128.ID,
          SHA256_AES_PRIV_PASSPHRASE);

  /** authPriv: HMAC-SHA-1-96 + DES (CBC); see {@link #desSupported()}. */
  public static final V3User AUTH_PRIV_SHA_DES =
      new V3User(
          SHA_DES_USER, AuthSHA.ID, SHA_DES_AUTH_PASSPHRASE, PrivDES.ID, SHA_DES_PRIV_PASSPHRASE);

  /** authNoPriv: HMAC-SHA-1-96. */
  public static final V3User AUTH_NO_PRIV_SHA =
      new V3User(SHA_NOPRIV_USER, AuthSHA.ID, SHA_NOPRIV_AUTH_PASSPHRASE, null, null);

  /** noAuthNoPriv. */
  public static final V3User NO_AUTH = new V3User(NOAUTH_USER, null, null, null, null);

  /** sysUpTime.0 */
  public static final String SYS_UPTIME = "1.3.6.1.2.1.1.3.0";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final int BIND_ATTEMPTS = 3;

  private final AgentProcess process;
  private final int port;
  private final List<String> commandLine;
  private volatile Boolean desSupported;

  private Snmpd(AgentProcess process, int port, List<String> commandLine) {
    this.process = process;
    this.port = port;
    this.commandLine = commandLine;
  }

  /** Starts snmpd and returns once it answers a v2c GET of sysUpTime.0 (at most ~10 s). */
  public static Snmpd start() {
    return start(List.of());
  }

  /** Like {@link #start()}, with extra lines appended to the generated snmpd.conf. */
  public static Snmpd start(List<String> extraConfigLines) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      try {
        return startOnce(FreePorts.udp(), extraConfigLines);
      } catch (PortTakenException e) {
        last = e; // someone took the free port between our check and snmpd's bind: try another
      }
    }
    throw last;
  }

  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  private static Snmpd startOnce(int port, List<String> extraConfigLines) {
    Path dir = AgentProcess.createTempDir("ifpulse-snmpd-");
    Path conf = dir.resolve("snmpd.conf");
    Path persist = dir.resolve("persist");
    Path pidFile = dir.resolve("snmpd.pid");
    Path log = dir.resolve("snmpd.log");
    try {
      Files.createDirectories(persist);
      Files.writeString(conf, config(extraConfigLines));
    } catch (IOException e) {
      AgentProcess.deleteTree(dir);
      throw new UncheckedIOException(e);
    }
    List<String> command =
        List.of(
            binary(),
            "-f", // foreground: we own the process
            "-Lo", // log to stdout (which goes to the log file)
            "-C", // read no config file but the -c one
            "-c",
            conf.toString(),
            "-p",
            pidFile.toString(),
            "udp:127.0.0.1:" + port);
    AgentProcess process =
        AgentProcess.start(
            "snmpd",
            command,
            Map.of("SNMP_PERSISTENT_DIR", persist.toString(), "MIBS", ""),
            dir,
            log);
    Snmpd snmpd = new Snmpd(process, port, command);
    try {
      snmpd.awaitReady();
      return snmpd;
    } catch (RuntimeException e) {
      snmpd.close();
      throw e;
    }
  }

  private static String binary() {
    Path sbin = Path.of("/usr/sbin/snmpd");
    return Files.isExecutable(sbin) ? sbin.toString() : "snmpd";
  }

  private static String config(List<String> extraConfigLines) {
    List<String> lines = new ArrayList<>();
    lines.add("# generated by io.ifpulse.testing.Snmpd");
    lines.add("rocommunity " + COMMUNITY + " 127.0.0.1");
    lines.add("dontLogTCPWrappersConnects yes");
    lines.add(
        "createUser %s SHA-256 \"%s\" AES \"%s\""
            .formatted(SHA256_AES_USER, SHA256_AES_AUTH_PASSPHRASE, SHA256_AES_PRIV_PASSPHRASE));
    lines.add(
        "createUser %s SHA \"%s\" DES \"%s\""
            .formatted(SHA_DES_USER, SHA_DES_AUTH_PASSPHRASE, SHA_DES_PRIV_PASSPHRASE));
    lines.add("createUser %s SHA \"%s\"".formatted(SHA_NOPRIV_USER, SHA_NOPRIV_AUTH_PASSPHRASE));
    lines.add("createUser " + NOAUTH_USER);
    lines.add("rouser " + SHA256_AES_USER + " priv");
    lines.add("rouser " + SHA_DES_USER + " priv");
    lines.add("rouser " + SHA_NOPRIV_USER + " auth");
    lines.add("rouser " + NOAUTH_USER + " noauth");
    lines.addAll(extraConfigLines);
    return String.join("\n", lines) + "\n";
  }

  private void awaitReady() {
    AtomicReference<IOException> lastError = new AtomicReference<>();
    try (SnmpTestClient client = SnmpTestClient.open()) {
      Awaitility.await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!process.isAlive()) {
          String log = process.log();
          if (log.contains("Error opening specified endpoint")) {
            throw new PortTakenException("snmpd could not bind udp:127.0.0.1:" + port + "\n" + log);
          }
          throw new IllegalStateException(
              "snmpd exited before answering; command " + commandLine + "\nlog:\n" + log);
        }
        try {
          client.getV2c(port, COMMUNITY, Duration.ofMillis(250), SYS_UPTIME);
          return true;
        } catch (IOException e) {
          lastError.set(e);
          return false;
        }
      });
      return;
    } catch (ConditionTimeoutException e) {
      // reported below
    }
    throw new IllegalStateException(
        "snmpd did not answer a v2c GET on udp:127.0.0.1:" + port + " within " + READY_TIMEOUT
            + " (last error: " + lastError.get() + "); command " + commandLine + "\nlog:\n"
            + process.logTail(20_000));
  }

  /** The UDP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The command line snmpd was started with (environment: SNMP_PERSISTENT_DIR, MIBS=""). */
  public List<String> commandLine() {
    return commandLine;
  }

  public long pid() {
    return process.pid();
  }

  /** Everything snmpd logged so far. */
  public String log() {
    return process.log();
  }

  /**
   * Whether this snmpd answers the SHA-1 + DES user ({@link #AUTH_PRIV_SHA_DES}); checked once by
   * a real GET. Some net-snmp builds (OpenSSL without legacy DES) reject DES users.
   */
  public boolean desSupported() {
    Boolean known = desSupported;
    if (known == null) {
      try (SnmpTestClient client = SnmpTestClient.open()) {
        client.getV3(port, AUTH_PRIV_SHA_DES, Duration.ofSeconds(2), SYS_UPTIME);
        known = true;
      } catch (IOException e) {
        known = false;
      }
      desSupported = known;
    }
    return known;
  }

  /** Kills snmpd (SIGTERM, then SIGKILL after 5 s), waits for it and deletes its temp dir. */
  @Override
  public void close() {
    process.stop();
  }

  @Override
  public String toString() {
    return "snmpd[udp:127.0.0.1:" + port + ", pid " + process.pid() + "]";
  }
}

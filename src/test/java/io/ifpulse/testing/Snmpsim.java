package io.ifpulse.testing;

import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Debian's {@code snmpsimd} (snmpsim 0.4.5) replaying the recorded 16-port Cisco switch that the
 * package ships, {@value #RECORDING_GZ}, on {@code udp:127.0.0.1:<free port>}, SNMPv1/v2c
 * community {@value #COMMUNITY} (snmpsim's community is the data file's name).
 *
 * <p>Command line (see {@link #commandLine()}):
 *
 * <pre>
 * snmpsimd --data-dir=&lt;tmp&gt;/data --cache-dir=&lt;tmp&gt;/cache \
 *     --agent-udpv4-endpoint=127.0.0.1:&lt;port&gt; --logging-method=stdout \
 *     [--process-user=nobody --process-group=nogroup]   (only when running as root)
 * </pre>
 *
 * snmpsimd refuses to run as root, hence the user switch; the temp directory is made readable
 * (data) and writable (cache) for that user. The parsed recording is exposed as ground truth.
 */
public final class Snmpsim implements AutoCloseable {

  public static final String RECORDING_GZ =
      "/usr/share/doc/snmpsim/examples/data/cisco_16_switch.snmprec.gz";
  public static final String COMMUNITY = "cisco_16_switch";

  public static final String IF_DESCR = "1.3.6.1.2.1.2.2.1.2";
  public static final String IF_NAME = "1.3.6.1.2.1.31.1.1.1.1";
  public static final String IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15";
  public static final String IF_ALIAS = "1.3.6.1.2.1.31.1.1.1.18";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final int BIND_ATTEMPTS = 3;

  /** One line of a .snmprec file: {@code oid|type|value}. */
  public record Entry(String oid, String type, String rawValue) {
    /** The value as a string: hex-decoded for type {@code 4x}, as recorded otherwise. */
    public String text() {
      if (type.endsWith("x")) {
        return new String(HexFormat.of().parseHex(rawValue), StandardCharsets.UTF_8);
      }
      return rawValue;
    }
  }

  private final AgentProcess process;
  private final int port;
  private final List<String> commandLine;
  private final Map<String, Entry> recording;

  private Snmpsim(
      AgentProcess process, int port, List<String> commandLine, Map<String, Entry> recording) {
    this.process = process;
    this.port = port;
    this.commandLine = commandLine;
    this.recording = recording;
  }

  /** Starts snmpsimd and returns once it answers a v2c GET of sysUpTime.0 (at most ~20 s). */
  public static Snmpsim start() {
    Path gz = Path.of(RECORDING_GZ);
    if (!Files.isReadable(gz)) {
      throw new IllegalStateException(
          gz + " is missing: install Debian's snmpsim package (scripts/test.sh does), and make "
              + "sure dpkg does not exclude /usr/share/doc");
    }
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
      try {
        return startOnce(FreePorts.udp(), gz);
      } catch (PortTakenException e) {
        last = e;
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

  private static Snmpsim startOnce(int port, Path gz) {
    Path dir = AgentProcess.createTempDir("ifpulse-snmpsim-");
    Path data = dir.resolve("data");
    Path cache = dir.resolve("cache");
    Path recordingFile = data.resolve(COMMUNITY + ".snmprec");
    Map<String, Entry> recording;
    try {
      Files.createDirectories(data);
      Files.createDirectories(cache);
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
        Files.copy(in, recordingFile);
      }
      recording = parse(recordingFile);
      // snmpsimd drops root for nobody/nogroup: it must read data and write its index cache.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(recordingFile, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      AgentProcess.deleteTree(dir);
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add("snmpsimd");
    command.add("--data-dir=" + data);
    command.add("--cache-dir=" + cache);
    command.add("--agent-udpv4-endpoint=127.0.0.1:" + port);
    command.add("--logging-method=stdout");
    if (runningAsRoot()) {
      command.add("--process-user=nobody");
      command.add("--process-group=nogroup");
    }
    AgentProcess process =
        AgentProcess.start("snmpsimd", command, Map.of(), dir, dir.resolve("snmpsimd.log"));
    Snmpsim sim = new Snmpsim(process, port, List.copyOf(command), recording);
    try {
      sim.awaitReady();
      return sim;
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
  }

  private static boolean runningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  static Map<String, Entry> parse(Path snmprec) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    for (String line : Files.readAllLines(snmprec, StandardCharsets.ISO_8859_1)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\|", 3);
      if (parts.length == 3) {
        entries.put(parts[0], new Entry(parts[0], parts[1], parts[2]));
      }
    }
    return Collections.unmodifiableMap(entries);
  }

  private void awaitReady() {
    AtomicReference<IOException> lastError = new AtomicReference<>();
    try (SnmpTestClient client = SnmpTestClient.open()) {
      Awaitility.await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (!process.isAlive()) {
          String log = process.log();
          if (log.contains("Address already in use")) {
            throw new PortTakenException("snmpsimd could not bind 127.0.0.1:" + port);
          }
          throw new IllegalStateException(
              "snmpsimd exited before answering; command " + commandLine + "\nlog:\n"
                  + process.logTail(20_000));
        }
        try {
          client.getV2c(port, COMMUNITY, Duration.ofMillis(500), Snmpd.SYS_UPTIME);
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
        "snmpsimd did not answer a v2c GET on udp:127.0.0.1:" + port + " within " + READY_TIMEOUT
            + " (last error: " + lastError.get() + "); command " + commandLine + "\nlog:\n"
            + process.logTail(20_000));
  }

  public int port() {
    return port;
  }

  public String community() {
    return COMMUNITY;
  }

  public List<String> commandLine() {
    return commandLine;
  }

  public long pid() {
    return process.pid();
  }

  public String log() {
    return process.log();
  }

  /** Every recorded object, by dotted OID (no leading dot). */
  public Map<String, Entry> recording() {
    return recording;
  }

  /** The recorded column {@code columnOid}, by its last sub-identifier (ifIndex). */
  public <T> Map<Integer, T> column(String columnOid, Function<Entry, T> value) {
    String prefix = columnOid + ".";
    Map<Integer, T> column = new TreeMap<>();
    for (Entry e : recording.values()) {
      if (e.oid().startsWith(prefix)) {
        String index = e.oid().substring(prefix.length());
        if (!index.contains(".")) {
          column.put(Integer.parseInt(index), value.apply(e));
        }
      }
    }
    return Collections.unmodifiableMap(column);
  }

  /** ifName (IF-MIB ifXTable .1) by ifIndex. */
  public Map<Integer, String> ifNames() {
    return column(IF_NAME, Entry::text);
  }

  /** ifAlias (ifXTable .18) by ifIndex; empty strings in this recording. */
  public Map<Integer, String> ifAliases() {
    return column(IF_ALIAS, Entry::text);
  }

  /** ifDescr (ifTable .2) by ifIndex. */
  public Map<Integer, String> ifDescrs() {
    return column(IF_DESCR, Entry::text);
  }

  /** ifHighSpeed (ifXTable .15, Mbit/s) by ifIndex. */
  public Map<Integer, Long> ifHighSpeeds() {
    return column(IF_HIGH_SPEED, e -> Long.parseLong(e.rawValue()));
  }

  /** Kills snmpsimd (SIGTERM, then SIGKILL after 5 s), waits for it and deletes its temp dir. */
  @Override
  public void close() {
    process.stop();
  }

  @Override
  public String toString() {
    return "snmpsimd[udp:127.0.0.1:" + port + ", pid " + process.pid() + "]";
  }
}

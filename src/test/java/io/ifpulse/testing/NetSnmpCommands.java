package io.ifpulse.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** net-snmp's own command-line senders (Debian package {@code snmp}): snmptrap, snmpinform. */
public final class NetSnmpCommands {
  private NetSnmpCommands() {}

  /** Runs a net-snmp command; its exit status. */
  public static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
    return p.exitValue();
  }

  /**
   * A v2c linkDown or linkUp trap about {@code ifIndex} (ifIndex, ifAdminStatus up, ifOperStatus
   * down or up), sent from {@code clientAddr} to {@code target} ({@code host:port}).
   */
  public static List<String> linkTrap(boolean down, String community, String clientAddr, String target, int ifIndex) {
    return List.of("snmptrap", "-v", "2c", "-c", community, "--clientaddr=" + clientAddr, target, "",
        down ? "1.3.6.1.6.3.1.1.5.3" : "1.3.6.1.6.3.1.1.5.4",
        "1.3.6.1.2.1.2.2.1.1." + ifIndex, "i", String.valueOf(ifIndex), "1.3.6.1.2.1.2.2.1.7." + ifIndex, "i", "1",
        "1.3.6.1.2.1.2.2.1.8." + ifIndex, "i", down ? "2" : "1");
  }
}

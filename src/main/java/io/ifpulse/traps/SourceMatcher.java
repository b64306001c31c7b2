package io.ifpulse.traps;

import io.ifpulse.config.DeviceConfig;
import io.ifpulse.config.TrapSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which device a notification comes from, by the address it came from: a device's
 * {@code trapSource} first (with its port, if it names one, before one without), else its polled
 * host — an IP literal, or the address its host name resolved to; for a v1 trap whose source
 * matches nothing, its agent-addr the same way (a v1 trap relayed by a proxy names the agent
 * there). Two candidates at the same step make the source ambiguous: it is refused and counted,
 * never guessed.
 */
public final class SourceMatcher {
  /** The outcome: a device, or why none. */
  public record Match(DeviceConfig device, Outcome outcome) {}

  public enum Outcome {
    MATCHED,
    UNKNOWN,
    AMBIGUOUS
  }

  private static final Match UNKNOWN = new Match(null, Outcome.UNKNOWN);
  private static final Match AMBIGUOUS = new Match(null, Outcome.AMBIGUOUS);

  private final Map<String, List<DeviceConfig>> byTrapSourceWithPort = new HashMap<>();
  private final Map<String, List<DeviceConfig>> byTrapSource = new HashMap<>();
  private final Map<String, List<DeviceConfig>> byHost = new HashMap<>();

  /** For devices whose hosts are all IP literals (or whose names are not to be matched). */
  public SourceMatcher(List<DeviceConfig> devices) {
    this(devices, Map.of());
  }

  /**
   * @param resolved host name → the address it resolved to (canonical text); a device whose host
   *     name is not in it is not matched by host
   */
  public SourceMatcher(List<DeviceConfig> devices, Map<String, String> resolved) {
    for (DeviceConfig d : devices) {
      TrapSource s = d.trapSource();
      if (s != null) {
        if (s.port() != 0) byTrapSourceWithPort.computeIfAbsent(s.ip() + "|" + s.port(), k -> new ArrayList<>()).add(d);
        else byTrapSource.computeIfAbsent(s.ip(), k -> new ArrayList<>()).add(d);
        continue;
      }
      // A device that names its trap source is found by that alone: its host may be shared.
      String ip = TrapSource.isIpLiteral(d.host()) ? TrapSource.canonical(d.host()) : resolved.get(d.host());
      if (ip != null) byHost.computeIfAbsent(ip, k -> new ArrayList<>()).add(d);
    }
  }

  /**
   * @param ip the source address, canonical ({@code InetAddress#getHostAddress})
   * @param port the source port
   * @param agentAddr a v1 trap's agent-addr (canonical), or null
   */
  public Match match(String ip, int port, String agentAddr) {
    Match m = byAddress(ip, port);
    if (m.outcome() == Outcome.UNKNOWN && agentAddr != null && !agentAddr.equals(ip) && !"0.0.0.0".equals(agentAddr)) {
      return byAddress(agentAddr, 0);
    }
    return m;
  }

  private Match byAddress(String ip, int port) {
    for (List<DeviceConfig> step : new List[] {port == 0 ? null : byTrapSourceWithPort.get(ip + "|" + port), byTrapSource.get(ip),
        byHost.get(ip)}) {
      if (step == null || step.isEmpty()) continue;
      return step.size() == 1 ? new Match(step.get(0), Outcome.MATCHED) : AMBIGUOUS;
    }
    return UNKNOWN;
  }
}

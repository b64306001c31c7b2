package io.ifpulse.sim;

import io.ifpulse.config.SimDeviceSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;

/**
 * Embedded simulated SNMP agents (v1 and v2c) on UDP ports, one per {@link SimDeviceSpec}.
 * Deterministic and fast: values are computed from closed-form traffic models (see
 * {@link SimDevice}); all sockets share one I/O thread, which also answers (a reply delay goes
 * through one scheduler thread instead, so the I/O thread never waits).
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start("127.0.0.1", 0, List.of(spec))) {
 *   int port = sim.port(spec.id());
 *   ...
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
  private final UdpHub hub;
  private final ScheduledThreadPoolExecutor delays;
  private final Map<String, SimDevice> devices = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, NetworkFaults> faults = new LinkedHashMap<>();
  private final String bindHost;

  private Simulator(String bindHost, UdpHub hub, ScheduledThreadPoolExecutor delays) {
    this.bindHost = bindHost;
    this.hub = hub;
    this.delays = delays;
  }

  /**
   * Starts one agent per spec: device k listens on basePort + k; basePort 0 = pick free ports.
   * Fails (and releases everything already bound) if a port is taken or an id is repeated.
   */
  public static Simulator start(String bindHost, int basePort, List<SimDeviceSpec> specs) throws IOException {
    if (basePort < 0 || basePort > 65535 || (basePort > 0 && basePort + specs.size() - 1 > 65535)) {
      throw new IllegalArgumentException("basePort " + basePort + " cannot hold " + specs.size() + " devices");
    }
    InetAddress host = InetAddress.getByName(bindHost);
    ScheduledThreadPoolExecutor delays =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "ifpulse-sim-delay");
              t.setDaemon(true);
              return t;
            });
    delays.setRemoveOnCancelPolicy(true);
    delays.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    Simulator sim = new Simulator(bindHost, new UdpHub("ifpulse-sim-io"), delays);
    try {
      for (int k = 0; k < specs.size(); k++) {
        SimDeviceSpec spec = specs.get(k);
        if (sim.devices.containsKey(spec.id())) throw new IllegalArgumentException("duplicate device id " + spec.id());
        SimDevice device = new SimDevice(spec, k);
        int port = basePort == 0 ? 0 : basePort + k;
        UdpHub.Endpoint endpoint;
        try {
          endpoint = sim.hub.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
          throw new IOException("simulated device " + spec.id() + ": cannot bind " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        if (spec.hostile().otherPort()) endpoint.replyFromAnotherPort();
        if (spec.network().any()) {
          NetworkFaults faults = new NetworkFaults(spec.network(), delays);
          endpoint.faults = faults;
          sim.faults.put(spec.id(), faults);
        }
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addTransportMapping(endpoint);
        endpoint.addTransportListener(dispatcher);
        dispatcher.addCommandResponder(new SimAgent(device, delays));
        sim.devices.put(spec.id(), device);
        sim.ports.put(spec.id(), endpoint.port());
      }
    } catch (IOException | RuntimeException e) {
      sim.close();
      throw e;
    }
    return sim;
  }

  /** The UDP port the device listens on. */
  public int port(String deviceId) {
    Integer p = ports.get(deviceId);
    if (p == null) throw new IllegalArgumentException("no simulated device " + deviceId);
    return p;
  }

  public SimDevice device(String deviceId) {
    SimDevice d = devices.get(deviceId);
    if (d == null) throw new IllegalArgumentException("no simulated device " + deviceId);
    return d;
  }

  /** All devices, in spec order. */
  public Collection<SimDevice> devices() {
    return Collections.unmodifiableCollection(new ArrayList<>(devices.values()));
  }

  /** The host the agents are bound to. */
  public String bindHost() {
    return bindHost;
  }

  /** The thread id of the I/O thread that receives and answers (for CPU measurements). */
  public long ioThreadId() {
    return hub.threadId();
  }

  /** What the simulated network did to a device's datagrams (all zero on a clean network). */
  public NetworkFaults.Stats network(String deviceId) {
    device(deviceId);
    NetworkFaults f = faults.get(deviceId);
    return f == null ? new NetworkFaults.Stats(0, 0, 0, 0) : f.stats();
  }

  /** Replies lost because a socket's send buffer was full. */
  public long sendDrops() {
    return hub.sendDrops.get();
  }

  @Override
  public void close() {
    hub.close();
    delays.shutdownNow();
  }
}

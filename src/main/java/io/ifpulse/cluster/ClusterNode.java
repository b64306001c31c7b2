package io.ifpulse.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.ifpulse.IoTransport;
import io.ifpulse.config.ConfigException;
import io.ifpulse.config.WebConfig;
import io.ifpulse.events.SharedJsonCodec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins (or forms) the cluster described by conf/cluster.xml, with the per-deployment values taken
 * from the environment, and returns a clustered Vert.x.
 *
 * <p>Hazelcast's open-source edition lets any process that reaches a member's port join as a
 * member. What the nodes say to each other — samples, status, alerts — therefore travels on
 * Vert.x's clustered event bus over mutual TLS: a node accepts a connection only from a peer whose
 * certificate the cluster's CA signed, and connects only to such peers. A process that joins
 * Hazelcast without one may subscribe to every address, but nothing is ever delivered to it, and
 * what it publishes reaches no node.
 */
public final class ClusterNode {
  public static final String CERT_ENV = "IFPULSE_BUS_CERT";
  public static final String KEY_ENV = "IFPULSE_BUS_KEY";
  public static final String CA_ENV = "IFPULSE_BUS_CA";
  public static final String PORT_ENV = "IFPULSE_BUS_PORT";
  private static final List<String> TLS_ENV = List.of(CERT_ENV, KEY_ENV, CA_ENV);
  private static final String HOW_TO_MAKE = "make them with scripts/cluster-certs.sh DIR NODE=IP... (README, Running a cluster)";
  private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
  /** The member attribute under which vertx-hazelcast keeps the event bus's id of a node. */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Held here: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
  private static final Logger VERTX_BUS_LOG = Logger.getLogger("io.vertx.core.eventbus.impl.clustered.ClusteredEventBus");
  private static final ConnectFailures CONNECT_FAILURES = new ConnectFailures(TimeUnit.MINUTES.toNanos(1));

  private ClusterNode() {}

  /** A clustered Vert.x and the Hazelcast member under it. */
  public record Joined(Vertx vertx, HazelcastInstance hazelcast) {}

  /**
   * This node's event-bus TLS material: its certificate and key, and the cluster's CA (one or more
   * certificates: a bundle of the old and the new CA lets a cluster change CA node by node).
   */
  public record BusTls(Path cert, Path key, Path ca, X509Certificate certificate, X509Certificate issuer) {
    String describe() {
      return "mutual TLS: this node is " + certificate.getSubjectX500Principal().getName() + " (until " + certificate.getNotAfter().toInstant()
          + "), peers must hold a certificate of " + issuer.getSubjectX500Principal().getName();
    }
  }

  /**
   * Options of the hub's Vert.x (the poller, alerts and the event bus; the web side has its own).
   * One event loop: the poller publishes every sample to consumers on the same thread, so a sample
   * costs no thread wake-up per consumer (on a virtual machine the kernel side of a thread switch
   * was the largest single item of the hub's perf profile). One loop carries 280,000 varbinds/s
   * (20,000 interfaces a second) at about 0.15 of a core (docs/BENCHMARKS.md, scenario 2).
   */
  public static VertxOptions hubOptions() {
    return new VertxOptions().setEventLoopPoolSize(1);
  }

  /** Whether the cluster interface and the event bus's address are both loopback addresses. */
  public static boolean onLoopback(Map<String, String> env) {
    String iface = env.getOrDefault("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1");
    return WebConfig.isLoopback(iface) && WebConfig.isLoopback(busHost(env));
  }

  private static String busHost(Map<String, String> env) {
    return env.getOrDefault("IFPULSE_BUS_HOST", env.getOrDefault("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1"));
  }

  /** The event bus's port: fixed, so that a firewall can let the other nodes in; 0 takes any free one. */
  private static int busPort(Map<String, String> env) {
    String v = env.getOrDefault(PORT_ENV, "");
    if (v.isEmpty()) return 0;
    try {
      int port = Integer.parseInt(v.trim());
      if (port >= 0 && port <= 65535) return port;
    } catch (NumberFormatException bad) {
      // said below
    }
    throw new ConfigException(PORT_ENV, v, "must be a TCP port, 1 to 65535 (or 0: any free port, the default)");
  }

  /**
   * The event bus's TLS material from the environment, checked before anything starts; null for a
   * plain bus, which only a cluster on loopback may have. An empty variable counts as unset.
   *
   * @throws ConfigException naming the variable and its value: a bad IFPULSE_BUS_PORT, only some of the three set, a file
   *     that cannot be read or holds no PEM certificate or key, a certificate the CA did not sign
   *     or that is outside its validity, a key that is not the certificate's, or no material for
   *     a cluster beyond loopback
   */
  public static BusTls checkEnv(Map<String, String> env) {
    busPort(env);
    List<String> set = TLS_ENV.stream().filter(v -> !env.getOrDefault(v, "").isEmpty()).toList();
    if (set.isEmpty()) {
      if (onLoopback(env)) return null;
      boolean busElsewhere = !env.getOrDefault("IFPULSE_BUS_HOST", "").isEmpty()
          && !WebConfig.isLoopback(env.get("IFPULSE_BUS_HOST"));
      String var = busElsewhere ? "IFPULSE_BUS_HOST" : "IFPULSE_CLUSTER_INTERFACE";
      throw new ConfigException(var, env.get(var), "is not a loopback address, so the event bus between nodes needs TLS: set "
          + CERT_ENV + ", " + KEY_ENV + " and " + CA_ENV + " to this node's certificate, its key and the cluster's CA (PEM files; "
          + HOW_TO_MAKE + ")");
    }
    if (set.size() < TLS_ENV.size()) {
      String missing = TLS_ENV.stream().filter(v -> !set.contains(v)).findFirst().orElseThrow();
      throw new ConfigException(missing, null, "is needed with " + String.join(" and ", set) + ": " + CERT_ENV + ", " + KEY_ENV
          + " and " + CA_ENV + " are set together or not at all");
    }
    Path certPath = Path.of(env.get(CERT_ENV));
    Path keyPath = Path.of(env.get(KEY_ENV));
    Path caPath = Path.of(env.get(CA_ENV));
    List<X509Certificate> chain = certificates(CERT_ENV, certPath);
    List<X509Certificate> cas = certificates(CA_ENV, caPath);
    X509Certificate cert = chain.get(0);
    X509Certificate issuer = null;
    for (X509Certificate ca : cas) {
      try {
        cert.verify(ca.getPublicKey());
        issuer = ca;
        break;
      } catch (GeneralSecurityException notThisOne) {
        // the next CA of the bundle, if any
      }
    }
    if (issuer == null) {
      throw new ConfigException(CERT_ENV, certPath.toString(), "is not signed by the CA of " + CA_ENV + " (" + caPath + ", "
          + cas.get(0).getSubjectX500Principal().getName() + "): the other nodes would refuse this one");
    }
    checkValidity(CERT_ENV, certPath, cert);
    checkValidity(CA_ENV, caPath, issuer);
    checkKey(keyPath, cert);
    return new BusTls(certPath, keyPath, caPath, cert, issuer);
  }

  private static void checkValidity(String var, Path file, X509Certificate c) {
    Date now = new Date();
    if (now.after(c.getNotAfter())) {
      throw new ConfigException(var, file.toString(), "expired on " + c.getNotAfter().toInstant() + "; " + HOW_TO_MAKE);
    }
    if (now.before(c.getNotBefore())) {
      throw new ConfigException(var, file.toString(), "is valid only from " + c.getNotBefore().toInstant() + " (is this machine's clock right?)");
    }
  }

  private static String readPem(String var, Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(var, file.toString(), "cannot be read (" + e + ")");
    }
  }

  private static List<X509Certificate> certificates(String var, Path file) {
    String text = readPem(var, file);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      Matcher m = PEM_BLOCK.matcher(text);
      while (m.find()) {
        if (!m.group(1).equals("CERTIFICATE")) continue;
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new ConfigException(var, file.toString(), "holds a certificate that cannot be read (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) throw new ConfigException(var, file.toString(), "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    return out;
  }

  /**
   * The key must be a PEM private key, and the certificate's: a node with a mismatched pair starts
   * but fails every handshake, which would show only as silence between nodes. PKCS#8 keys (what
   * scripts/cluster-certs.sh writes) are matched by a test signature; PKCS#1 and SEC1 keys, which
   * Vert.x also reads, only by their form.
   */
  private static void checkKey(Path keyPath, X509Certificate cert) {
    String text = readPem(KEY_ENV, keyPath);
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY")) return;
      if (!type.equals("PRIVATE KEY")) continue;
      String alg = cert.getPublicKey().getAlgorithm();
      try {
        PrivateKey key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2))));
        String sigAlg = alg.equals("EC") ? "SHA256withECDSA" : alg.equals("RSA") ? "SHA256withRSA" : null;
        if (sigAlg == null) return; // other key types: Vert.x says at start whether it can use them
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature s = Signature.getInstance(sigAlg);
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        if (!s.verify(sig)) {
          throw new ConfigException(KEY_ENV, keyPath.toString(), "is not the key of the certificate of " + CERT_ENV + " ("
              + cert.getSubjectX500Principal().getName() + ")");
        }
        return;
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new ConfigException(KEY_ENV, keyPath.toString(), "is not a " + alg + " key matching the certificate of " + CERT_ENV
            + " (" + e.getMessage() + ")");
      }
    }
    throw new ConfigException(KEY_ENV, keyPath.toString(), "holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  /**
   * The event bus's options: its address and, with TLS material, mutual TLS.
   *
   * <p>Both directions are checked against the CA. A node connects to the event bus of every
   * member that subscribes to an address it publishes on, and Vert.x's event-bus client trusts any
   * server certificate unless told otherwise (EventBusOptions.DEFAULT_TRUST_ALL is true): without
   * {@code setTrustAll(false)} a member with a self-made certificate would receive every sample.
   *
   * <p>No host name is checked on either side (Vert.x's event-bus client switches host name
   * verification off, and a server never checks one): a peer is trusted for holding a certificate
   * of the cluster's CA, whatever address it is reached at — 127.0.0.1, an interface added later,
   * or an address behind NAT that no certificate lists. The CA is the cluster's own and signs
   * nothing else, so its signature is the membership.
   */
  static EventBusOptions busOptions(Map<String, String> env, BusTls tls) {
    EventBusOptions bus = new EventBusOptions().setHost(busHost(env)).setPort(busPort(env));
    if (tls == null) return bus;
    return bus.setSsl(true)
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()))
        // Only ifpulse nodes speak here, all on Java 17 or later: nothing older than TLS 1.3 is needed.
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
  }

  public static Joined join(Path clusterXml, Map<String, String> env, boolean poller) throws IOException {
    BusTls tls = checkEnv(env);
    Properties p = new Properties();
    p.setProperty("ifpulse.cluster.name", env.getOrDefault("IFPULSE_CLUSTER_NAME", "ifpulse"));
    p.setProperty("ifpulse.cluster.members", env.getOrDefault("IFPULSE_CLUSTER_MEMBERS", "127.0.0.1"));
    p.setProperty("ifpulse.cluster.interface", env.getOrDefault("IFPULSE_CLUSTER_INTERFACE", "127.0.0.1"));
    p.setProperty("ifpulse.cluster.port", env.getOrDefault("IFPULSE_CLUSTER_PORT", "5701"));
    Config config;
    try (InputStream in = Files.newInputStream(clusterXml)) {
      config = new XmlConfigBuilder(in).setProperties(p).build();
    }
    // Members listed without a port are probed on this many ports from the first one.
    config.setProperty("hazelcast.tcp.join.port.try.count", "10");
    config.getMemberAttributeConfig().setAttribute(ClusterOwnership.POLLER_ATTRIBUTE, String.valueOf(poller));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VERTX_BUS_LOG.setFilter(CONNECT_FAILURES);
    VertxOptions options = io.ifpulse.snmp.AgentNames.apply(IoTransport.apply(hubOptions(), env), env)
        .setEventBusOptions(busOptions(env, tls));
    Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
    if (tls != null) {
      LOG.info("event bus: " + tls.describe());
    } else {
      LOG.warning("event bus: plain TCP, which any process on this machine that joins the cluster can read and write to;"
          + " fine on loopback only (" + CERT_ENV + ", " + KEY_ENV + " and " + CA_ENV + " turn on TLS)");
    }
    CONNECT_FAILURES.members.add(manager.getHazelcastInstance());
    // Samples travel under this codec's name; a node without it could not read them.
    SharedJsonCodec.register(vertx.eventBus());
    return new Joined(vertx, manager.getHazelcastInstance());
  }

  /**
   * One line a minute per member whose event bus this node cannot connect to, instead of Vert.x's
   * stack trace at every attempt. A node tries again at each message it has for that member, so a
   * member the others refuse (no certificate of the cluster's CA) — or one that subscribes on
   * purpose — would otherwise write some sixty lines per sample it is sent.
   */
  static final class ConnectFailures implements Filter {
    private static final Pattern MESSAGE = Pattern.compile("Connecting to server (\\S+) failed");
    private final long quietNanos;
    private final Map<String, long[]> byMember = new ConcurrentHashMap<>();
    /** Where to find the Hazelcast member of an event-bus node id (one per clustered Vert.x of this process). */
    final List<HazelcastInstance> members = new CopyOnWriteArrayList<>();

    ConnectFailures(long quietNanos) {
      this.quietNanos = quietNanos;
    }

    @Override
    public boolean isLoggable(LogRecord r) {
      Matcher m = r.getMessage() == null ? null : MESSAGE.matcher(r.getMessage());
      if (m == null || !m.matches()) return true;
      long now = System.nanoTime();
      // Members come and go: forget those not heard of for a while.
      byMember.values().removeIf(e -> now - e[0] > 10 * quietNanos);
      long[] e = byMember.computeIfAbsent(m.group(1), k -> new long[] {now - quietNanos - 1, 0});
      synchronized (e) {
        if (now - e[0] <= quietNanos) {
          e[1]++;
          return false;
        }
        long more = e[1];
        e[0] = now;
        e[1] = 0;
        String why = innermost(r.getThrown());
        r.setMessage("event bus: cannot connect to member " + member(m.group(1)) + (why == null ? "" : " (" + why + ")")
            + "; what this node sends it is dropped. A member without a certificate of the cluster's CA, or one going away"
            + (more > 0 ? " (" + more + " more failures since the last such line)" : ""));
        r.setThrown(null);
        return true;
      }
    }

    /** Vert.x names nodes by an id of its own; Hazelcast's address and uuid are what the other logs show. */
    private String member(String nodeId) {
      members.removeIf(h -> !h.getLifecycleService().isRunning());
      for (HazelcastInstance h : members) {
        for (Member m : h.getCluster().getMembers()) {
          if (nodeId.equals(m.getAttribute(NODE_ID_ATTRIBUTE))) return m.getAddress() + " " + m.getUuid() + " (bus node " + nodeId + ")";
        }
      }
      return "(bus node " + nodeId + ")";
    }

    /** The most specific message of a failure: TLS wraps the one that says why in several others. */
    private static String innermost(Throwable t) {
      String why = null;
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c.getMessage() != null) why = c.getMessage();
        for (Throwable s : c.getSuppressed()) if (s.getMessage() != null && c.getCause() == null) why = s.getMessage();
      }
      return why;
    }
  }
}

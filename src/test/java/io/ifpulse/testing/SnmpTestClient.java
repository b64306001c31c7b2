package io.ifpulse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A small, synchronous SNMP4J client for tests and for the fixtures' readiness probes. It has its
 * own {@link SecurityProtocols} (the {@code maxCompatibility} set, which includes the SHA-1, MD5
 * and DES that SNMP4J 3.x leaves out of its defaults) and its own USM, so it never touches the
 * process-wide SNMP4J singletons that production code may configure.
 */
public final class SnmpTestClient implements AutoCloseable {

  /** An SNMPv3 USM user. {@code authProtocol}/{@code privProtocol} are SNMP4J protocol OIDs or null. */
  public record V3User(
      String name, OID authProtocol, String authPassphrase, OID privProtocol, String privPassphrase) {

    public int securityLevel() {
      if (authProtocol == null) {
        return SecurityLevel.NOAUTH_NOPRIV;
      }
      return privProtocol == null ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV;
    }

    UsmUser toUsmUser() {
      return new UsmUser(
          new OctetString(name),
          authProtocol,
          authPassphrase == null ? null : new OctetString(authPassphrase),
          privProtocol,
          privPassphrase == null ? null : new OctetString(privPassphrase));
    }
  }

  /** The agent did not answer in time. */
  public static final class TimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message) {
      super(message);
    }
  }

  private final Snmp snmp;
  private final USM usm;
  private final DefaultUdpTransportMapping transport;

  private SnmpTestClient() throws IOException {
    SecurityProtocols protocols =
        new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
    OctetString localEngineId = new OctetString(MPv3.createLocalEngineID());
    usm = new USM(protocols, localEngineId, 0);
    SecurityModels models = new SecurityModels().addSecurityModel(usm);
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addMessageProcessingModel(new MPv1());
    dispatcher.addMessageProcessingModel(new MPv2c());
    dispatcher.addMessageProcessingModel(
        new MPv3(localEngineId.getValue(), null, protocols, models, CounterSupport.getInstance()));
    transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
    snmp = new Snmp(dispatcher, transport);
    snmp.listen();
  }

  public static SnmpTestClient open() {
    try {
      return new SnmpTestClient();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SNMPv2c GET on 127.0.0.1:port; throws on timeout, error status or a missing object. */
  public Map<OID, Variable> getV2c(int port, String community, Duration timeout, String... oids)
      throws IOException {
    CommunityTarget<UdpAddress> target =
        new CommunityTarget<>(address(port), new OctetString(community));
    target.setVersion(SnmpConstants.version2c);
    configure(target, timeout);
    PDU pdu = new PDU();
    return get(target, pdu, oids);
  }

  /** SNMPv3 (USM) GET on 127.0.0.1:port; throws on timeout, error status or a missing object. */
  public Map<OID, Variable> getV3(int port, V3User user, Duration timeout, String... oids)
      throws IOException {
    usm.addUser(user.toUsmUser());
    UserTarget<UdpAddress> target = new UserTarget<>();
    target.setAddress(address(port));
    target.setSecurityName(new OctetString(user.name()));
    target.setSecurityLevel(user.securityLevel());
    target.setVersion(SnmpConstants.version3);
    configure(target, timeout);
    return get(target, new ScopedPDU(), oids);
  }

  private static UdpAddress address(int port) {
    return new UdpAddress("127.0.0.1/" + port);
  }

  private static void configure(Target<UdpAddress> target, Duration timeout) {
    target.setTimeout(Math.max(50, timeout.toMillis()));
    target.setRetries(0);
  }

  private Map<OID, Variable> get(Target<UdpAddress> target, PDU pdu, String... oids)
      throws IOException {
    for (String oid : oids) {
      pdu.add(new VariableBinding(new OID(Objects.requireNonNull(oid))));
    }
    pdu.setType(PDU.GET);
    ResponseEvent<UdpAddress> event = snmp.get(pdu, target);
    PDU response = event.getResponse();
    if (response == null) {
      if (event.getError() != null) {
        throw new IOException("SNMP GET to " + target.getAddress() + " failed", event.getError());
      }
      throw new TimeoutException(
          "no SNMP response from " + target.getAddress() + " within " + target.getTimeout() + " ms");
    }
    if (response.getType() == PDU.REPORT) {
      throw new IOException("SNMPv3 report from " + target.getAddress() + ": " + response);
    }
    if (response.getErrorStatus() != PDU.noError) {
      throw new IOException(
          "SNMP error " + response.getErrorStatusText() + " at index " + response.getErrorIndex());
    }
    Map<OID, Variable> result = new LinkedHashMap<>();
    for (VariableBinding vb : response.getVariableBindings()) {
      if (vb.getVariable().isException()) {
        throw new IOException("SNMP " + vb.getOid() + " = " + vb.getVariable().getSyntaxString());
      }
      result.put(vb.getOid(), vb.getVariable());
    }
    return result;
  }

  @Override
  public void close() {
    try {
      snmp.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

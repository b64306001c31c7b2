package io.ifpulse.fuzz;

import io.ifpulse.config.SimDeviceSpec;
import io.ifpulse.sim.Simulator;
import io.ifpulse.testing.Snmpsim;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Writes the seeds of {@link ReplyBerFuzzTest}: the PDUs of real replies to its GET, from the
 * project's simulator (Counter64 and Counter32 agents, one that restarts) and from snmpsim's
 * recording of a 16-port Cisco switch. Run again only to renew them:
 * {@code java -cp <test classpath> io.ifpulse.fuzz.ReplySeeds src/test/resources/io/ifpulse/fuzz/ReplyBerFuzzTestInputs/decodesAnyPdu}.
 */
public final class ReplySeeds {
  private ReplySeeds() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    List<SimDeviceSpec> specs = List.of(
        SimDeviceSpec.fromJson("hc", "public", new JsonObject().put("model", "steady").put("interfaces", 2).put("rateMbps", 100), "sim"),
        SimDeviceSpec.fromJson("c32", "public", new JsonObject().put("model", "bursts").put("interfaces", 2).put("rateMbps", 10)
            .put("counters", "counter32"), "sim"),
        SimDeviceSpec.fromJson("v1", "public", new JsonObject().put("model", "sine").put("interfaces", 1).put("rateMbps", 1)
            .put("counters", "v1"), "sim"));
    try (Simulator sim = Simulator.start("127.0.0.1", 0, specs);
        Snmp snmp = new Snmp(new DefaultUdpTransportMapping())) {
      snmp.listen();
      int n = 0;
      for (SimDeviceSpec s : specs) {
        for (int i = 0; i < 2; i++) write(out.resolve("sim-" + s.id() + "-" + i), reply(snmp, sim.port(s.id()), "public"));
        n++;
      }
      try (Snmpsim recorded = Snmpsim.start()) {
        write(out.resolve("snmpsim-cisco16"), reply(snmp, recorded.port(), recorded.community()));
      }
      System.out.println("wrote seeds of " + n + " simulated agents and one recording to " + out);
    }
  }

  private static byte[] reply(Snmp snmp, int port, String community) throws Exception {
    CommunityTarget<UdpAddress> target = new CommunityTarget<>(new UdpAddress("127.0.0.1/" + port), new OctetString(community));
    target.setVersion(SnmpConstants.version2c);
    target.setTimeout(3000);
    target.setRetries(1);
    PDU get = new PDU();
    get.setType(PDU.GET);
    for (String oid : ReplyRequests.OIDS) get.add(new VariableBinding(new OID(oid)));
    ResponseEvent<UdpAddress> e = snmp.send(get, target);
    if (e.getResponse() == null) throw new IllegalStateException("no reply from port " + port);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    e.getResponse().encodeBER(bytes);
    return bytes.toByteArray();
  }

  private static void write(Path file, byte[] ber) throws Exception {
    Files.write(file, ber);
  }
}

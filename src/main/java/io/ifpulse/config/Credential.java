package io.ifpulse.config;

/**
 * How to talk to an agent: an SNMP version with its community (v1, v2c) or its USM user (v3).
 * Named in the config file's {@code credentials} section and referred to by that name from
 * devices, the REST API, the registry and the cluster, so that the secret itself stays in the
 * operator's file on each node. A device of the config file may still carry its community or
 * v3 block inline; such a credential has no name.
 *
 * @param name the name in the config file, or null for one written inline in a device
 */
public record Credential(String name, SnmpVersion version, Secret community, V3Security v3) {

  /** A name, or "(inline)" for logs and answers. */
  public String label() {
    return name != null ? name : "(inline)";
  }

  /** For logs: never the secret. */
  @Override
  public String toString() {
    return "credential " + label() + " (" + version.label + ")";
  }
}

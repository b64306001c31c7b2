package io.ifpulse.config;

public enum SnmpVersion {
  V1("v1"),
  V2C("v2c"),
  V3("v3");

  public final String label;

  SnmpVersion(String label) {
    this.label = label;
  }

  static SnmpVersion parse(String field, String value) {
    for (SnmpVersion v : values()) {
      if (v.label.equalsIgnoreCase(value)) return v;
    }
    throw new ConfigException(field, value, "must be one of v1, v2c, v3");
  }
}

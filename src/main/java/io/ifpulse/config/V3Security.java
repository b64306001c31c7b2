package io.ifpulse.config;

import java.util.Arrays;

/**
 * SNMPv3 user-based security for one device. The security level follows from what is set: no
 * auth protocol is noAuthNoPriv, auth without priv is authNoPriv, both is authPriv.
 */
public record V3Security(String user, Auth auth, Secret authPassphrase, Priv priv, Secret privPassphrase) {

  public enum Auth {
    NONE("none"),
    MD5("MD5"),
    SHA1("SHA"),
    SHA224("SHA-224"),
    SHA256("SHA-256"),
    SHA384("SHA-384"),
    SHA512("SHA-512");

    public final String label;

    Auth(String label) {
      this.label = label;
    }
  }

  public enum Priv {
    NONE("none"),
    DES("DES"),
    AES128("AES-128"),
    AES192("AES-192"),
    AES256("AES-256");

    public final String label;

    Priv(String label) {
      this.label = label;
    }
  }

  static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    for (E e : type.getEnumConstants()) {
      String label = e instanceof Auth a ? a.label : ((Priv) e).label;
      if (label.equalsIgnoreCase(value) || e.name().equalsIgnoreCase(value)
          || ("SHA".equals(label) && "SHA-1".equalsIgnoreCase(value))
          || ("AES-128".equals(label) && "AES".equalsIgnoreCase(value))) {
        return e;
      }
    }
    String[] labels =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e instanceof Auth a ? a.label : ((Priv) e).label)
            .toArray(String[]::new);
    throw new ConfigException(field, value, "must be one of " + String.join(", ", labels));
  }

  public String level() {
    if (auth == Auth.NONE) return "noAuthNoPriv";
    return priv == Priv.NONE ? "authNoPriv" : "authPriv";
  }
}

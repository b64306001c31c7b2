package io.ifpulse.config;

import io.ifpulse.config.V3Security.Auth;
import io.ifpulse.config.V3Security.Priv;
import io.ifpulse.config.SimDeviceSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON config file, applies environment overrides and validates everything before the
 * hub starts anything. Two kinds of override:
 *
 * <ul>
 *   <li>{@code ${NAME}} or {@code ${NAME:-default}} inside any string value is replaced by that
 *       environment variable — the way to keep communities and passphrases out of the file;
 *   <li>a variable {@code IFPULSE__a__b__c=value} sets field {@code a.b.c} (array elements by
 *       index, e.g. {@code IFPULSE__devices__0__port=1161}); the value is read as JSON when it
 *       parses, else as a string.
 * </ul>
 *
 * Unknown keys are errors: a typo such as {@code "intervalMS"} must not silently fall back to the
 * default.
 */
public final class ConfigLoader {
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern DEVICE_ID = Pattern.compile(DeviceConfig.ID_PATTERN);
  /** Host names and IP literals: no spaces, no '$' or other characters a name never has. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]%-]{1,253}");
  private static final String OVERRIDE_PREFIX = "IFPULSE__";

  private static final Set<String> TOP_KEYS = Set.of("defaults", "poller", "simulator", "devices", "web", "history", "alerts", "registry",
      "credentials", "traps", "groups");
  private static final Set<String> CREDENTIAL_KEYS = Set.of("version", "community", "v3");
  private static final Set<String> WEB_KEYS = Set.of("enabled", "host", "port", "allowedOrigins", "publicUrls", "trustedProxies",
      "tls", "auth", "maxHandlersPerSocket", "maxFrameBytes", "maxSockets", "maxSocketsPerUser", "watchesPerSecond", "idleTimeoutS");
  private static final Set<String> AUTH_KEYS = Set.of("mode", "usersFile", "sessionIdleMinutes", "signInPerSource", "signInPerUser");
  private static final Pattern PUBLIC_URL = Pattern.compile("(https?)://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?/?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+(:[0-9]{1,5})?");
  private static final Set<String> DEVICE_KEYS = Set.of("id", "host", "port", "version", "community", "v3",
      "intervalMs", "liveIntervalMs", "timeoutMs", "retries", "maxInFlight", "maxReplyBytes",
      "maxInterfaces", "discoveryIntervalS", "plausibilityFactor", "enabled", "interfaces", "read", "sim", "tags", "credentials",
      "trapSource");
  private static final Set<String> DEFAULT_KEYS = Set.of("version", "community", "credentials", "intervalMs", "liveIntervalMs", "timeoutMs",
      "retries", "maxInFlight", "maxReplyBytes", "maxInterfaces", "discoveryIntervalS", "plausibilityFactor", "port", "read");
  private static final Set<String> V3_KEYS = Set.of("user", "authProtocol", "authPassphrase", "privProtocol", "privPassphrase");
  private static final Set<String> FILTER_KEYS = Set.of("includeName", "excludeName", "includeAlias",
      "excludeAlias", "includeDescr", "excludeDescr", "types", "adminStatus", "operStatus");
  private static final Set<String> STATUS_WORDS = Set.of("up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown");

  private ConfigLoader() {}

  public static HubConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("config file", file.toString(), "cannot be read (" + e.getMessage() + ")");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException("config file", file.toString(), "is not valid JSON: " + e.getMessage());
    }
    return parse(json, env);
  }

  public static HubConfig parse(JsonObject raw, Map<String, String> env) {
    JsonObject json = (JsonObject) interpolate(raw.copy(), env, "");
    applyOverrides(json, env);
    checkKeys(json, TOP_KEYS, "");
    JsonObject defaults = object(json, "defaults", "defaults");
    checkKeys(defaults, DEFAULT_KEYS, "defaults.");
    JsonObject poller = object(json, "poller", "poller");
    checkKeys(poller, Set.of("maxInFlight", "slotMs"), "poller.");
    JsonObject simulator = object(json, "simulator", "simulator");
    checkKeys(simulator, Set.of("host", "basePort"), "simulator.");

    Credentials credentials = credentials(object(json, "credentials", "credentials"));

    PollerConfig pollerConfig = new PollerConfig(
        intIn(poller, "maxInFlight", "poller.maxInFlight", PollerConfig.DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
        longIn(poller, "slotMs", "poller.slotMs", PollerConfig.DEFAULT_SLOT_MS, 1, 3_600_000));
    String simHost = string(simulator, "host", "simulator.host", "127.0.0.1");
    int simBase = intIn(simulator, "basePort", "simulator.basePort", 16100, 0, 65535);

    Object devicesValue = json.getValue("devices");
    if (!(devicesValue instanceof JsonArray devices)) {
      throw new ConfigException("devices", devicesValue, "must be a list of devices");
    }
    List<DeviceConfig> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int simIndex = 0;
    for (int i = 0; i < devices.size(); i++) {
      String path = "devices[" + i + "]";
      if (!(devices.getValue(i) instanceof JsonObject d)) {
        throw new ConfigException(path, devices.getValue(i), "must be an object");
      }
      DeviceConfig dc = device(d, defaults, path, simHost, simBase == 0 ? 0 : simBase + simIndex, credentials, true);
      if (dc.sim() != null) simIndex++;
      if (!ids.add(dc.id())) {
        throw new ConfigException(path + ".id", dc.id(), "is used by another device");
      }
      out.add(dc);
    }
    JsonObject history = object(json, "history", "history");
    checkKeys(history, Set.of("seconds"), "history.");
    int historySeconds = intIn(history, "seconds", "history.seconds", 900, 60, 86_400);
    AlertConfig alerts = AlertConfig.fromJson(object(json, "alerts", "alerts"), "alerts");
    JsonObject registry = object(json, "registry", "registry");
    checkKeys(registry, Set.of("file"), "registry.");
    String registryFile = string(registry, "file", "registry.file", "~/.ifpulse/devices.json");
    TrapsConfig traps = TrapsConfig.fromJson(object(json, "traps", "traps"), "traps");
    List<GroupConfig> groups = groups(object(json, "groups", "groups"), "groups", alerts);
    return new HubConfig(List.copyOf(out), pollerConfig, simHost, simBase, web(object(json, "web", "web")),
        historySeconds, alerts, defaults, registryFile, credentials, traps, groups);
  }

  private static final Pattern GROUP_NAME = Pattern.compile(GroupConfig.NAME_PATTERN);
  private static final Pattern DEVICE_GLOB = Pattern.compile(GroupConfig.DEVICE_GLOB_PATTERN);
  private static final Set<String> GROUP_KEYS = Set.of("members", "alerts");
  private static final Set<String> GROUP_ALERT_KEYS = Set.of("utilisation");
  private static final Set<String> MEMBER_KEYS = Set.of("device", "interfaces");

  /** The {@code "groups"} object: name → {@code {"members": [...]}}, each validated by {@link #group}. */
  private static List<GroupConfig> groups(JsonObject g, String path, AlertConfig alerts) {
    if (g.size() > GroupConfig.MAX_GROUPS) {
      throw new ConfigException(path, Fields.Shape.OBJECT, "has " + g.size() + " groups, more than " + GroupConfig.MAX_GROUPS);
    }
    List<GroupConfig> out = new ArrayList<>();
    for (String name : g.fieldNames()) {
      if (!(g.getValue(name) instanceof JsonObject entry)) {
        throw new ConfigException(path + "." + name, Fields.shown(name, g.getValue(name)), "must be an object with \"members\"");
      }
      out.add(group(name, entry, path + "." + name, alerts));
    }
    return List.copyOf(out);
  }

  /**
   * One group, from the config file or from a REST body (where {@code path} is {@code "group"}):
   * the name spelled like a device id, 1 to {@value GroupConfig#MAX_MEMBERS} members, each a device
   * glob and an optional interface filter with the same keys and RE2/J regexes as a device's.
   */
  public static GroupConfig group(String name, JsonObject entry, String path) {
    return group(name, entry, path, AlertConfig.defaults());
  }

  /**
   * As {@link #group(String, JsonObject, String)}, with the thresholds of the group's
   * {@code "alerts": {"utilisation": {...}}} defaulting to {@code alerts} (the config's global ones).
   */
  static GroupConfig group(String name, JsonObject entry, String path, AlertConfig alerts) {
    if (name == null || !GROUP_NAME.matcher(name).matches()) {
      throw new ConfigException(path, name, "is not a valid group name: 1-64 letters, digits, '_', '.', ':' or '-'");
    }
    checkKeys(entry, GROUP_KEYS, path + ".");
    Object membersValue = entry.getValue("members");
    if (!(membersValue instanceof JsonArray members) || members.isEmpty()) {
      throw new ConfigException(path + ".members", membersValue instanceof JsonArray ? Fields.Shape.LIST : membersValue,
          "must be a non-empty list of {\"device\", \"interfaces\"}");
    }
    if (members.size() > GroupConfig.MAX_MEMBERS) {
      throw new ConfigException(path + ".members", Fields.Shape.LIST, "has " + members.size() + " entries, more than " + GroupConfig.MAX_MEMBERS);
    }
    List<GroupConfig.Member> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      String mpath = path + ".members[" + i + "]";
      if (!(members.getValue(i) instanceof JsonObject m)) throw new ConfigException(mpath, members.getValue(i), "must be an object");
      checkKeys(m, MEMBER_KEYS, mpath + ".");
      Object device = m.getValue("device");
      if (!(device instanceof String glob) || !DEVICE_GLOB.matcher(glob).matches()) {
        throw new ConfigException(mpath + ".device", device,
            "must be a device id or a glob of one: 1-64 letters, digits, '_', '.', ':', '-', '*' or '?'");
      }
      InterfaceFilter filter = InterfaceFilter.ALL;
      if (m.containsKey("interfaces")) {
        if (!(m.getValue("interfaces") instanceof JsonObject f)) {
          throw new ConfigException(mpath + ".interfaces", m.getValue("interfaces"), "must be an object of filters");
        }
        filter = filter(f, mpath + ".interfaces");
      }
      out.add(new GroupConfig.Member(glob, filter));
    }
    AlertConfig own = null;
    if (entry.containsKey("alerts")) {
      if (!(entry.getValue("alerts") instanceof JsonObject a)) {
        throw new ConfigException(path + ".alerts", entry.getValue("alerts"), "must be an object: {\"utilisation\": {...}}");
      }
      checkKeys(a, GROUP_ALERT_KEYS, path + ".alerts.");
      if (a.containsKey("utilisation")) {
        if (!(a.getValue("utilisation") instanceof JsonObject u)) {
          throw new ConfigException(path + ".alerts.utilisation", a.getValue("utilisation"),
              "must be an object of utilisationPct, utilisationClearPct, forSeconds, clearForSeconds");
        }
        own = AlertConfig.utilisationFromJson(u, path + ".alerts.utilisation", alerts);
      }
    }
    return new GroupConfig(name, out, own);
  }

  private static final Pattern CREDENTIAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  /** The named credentials: each a version with its community or v3 user, validated like a device's. */
  private static Credentials credentials(JsonObject c) {
    java.util.Map<String, Credential> out = new java.util.LinkedHashMap<>();
    for (String name : c.fieldNames()) {
      String path = "credentials." + name;
      if (!CREDENTIAL_NAME.matcher(name).matches()) {
        throw new ConfigException("credentials", name, "is not a valid name: 1-64 letters, digits, '_', '.', ':' or '-'");
      }
      if (!(c.getValue(name) instanceof JsonObject entry)) throw new ConfigException(path, Fields.Shape.OBJECT, "must be an object");
      checkKeys(entry, CREDENTIAL_KEYS, path + ".");
      SnmpVersion version = SnmpVersion.parse(path + ".version", string(entry, "version", path + ".version", "v2c"));
      out.put(name, inlineCredential(name, version, entry, entry, k -> path + "." + k, path));
    }
    return new Credentials(out);
  }

  /**
   * A community (v1, v2c) or a v3 user from {@code source}, the way a credential or a device of the
   * file writes it; {@code where} names a key's field path for errors.
   */
  private static Credential inlineCredential(String name, SnmpVersion version, JsonObject source, JsonObject own,
      java.util.function.Function<String, String> where, String path) {
    if (version == SnmpVersion.V3) {
      if (!(own.getValue("v3") instanceof JsonObject v3json)) {
        throw new ConfigException(path + ".v3", own.getValue("v3"), "is required for version v3");
      }
      if (own.containsKey("community")) {
        throw new ConfigException(path + ".community", new Secret("?"), "is not used with version v3 (the v3 block is)");
      }
      return new Credential(name, version, null, v3(v3json, path + ".v3"));
    }
    if (own.containsKey("v3")) {
      throw new ConfigException(path + ".v3", Fields.Shape.OBJECT, "is only used with version v3 (version is " + version.label + ")");
    }
    Object c = source.getValue("community", "public");
    if (!(c instanceof String cs) || cs.isEmpty()) {
      throw new ConfigException(where.apply("community"), c == null ? null : new Secret(String.valueOf(c)), "must be a non-empty string");
    }
    return new Credential(name, version, new Secret(cs), null);
  }

  /**
   * One device entry added at run time (REST, or the registry a cluster shares), validated with the
   * file's defaults for its timing. It differs from an entry of the file in what it may carry:
   * nothing is expanded from the environment, and no secret is accepted: it names one of the
   * {@code credentials} of the config file instead. A credential this node lacks is not an error
   * here (another node may have it): the device then has no {@link DeviceConfig#credential()}.
   * Simulated devices only come from the file.
   */
  public static DeviceConfig runtimeDevice(JsonObject entry, JsonObject defaults, Credentials credentials) {
    return runtimeDevice(entry, defaults, credentials, true);
  }

  /**
   * As above; with {@code requireCredentials} false for an entry already stored (the registry):
   * one that lost its secrets to {@code LocalOverlayStore.scrubSecrets} names no credential, and
   * stays a device without one (reported as "no-credentials") rather than vanishing.
   */
  public static DeviceConfig runtimeDevice(JsonObject entry, JsonObject defaults, Credentials credentials, boolean requireCredentials) {
    for (String secret : new String[] {"community", "v3"}) {
      if (entry.containsKey(secret)) {
        throw new ConfigException("device." + secret, Fields.Shape.HIDDEN,
            "secrets are not accepted here: name one of the config file's credentials, as \"credentials\": \"NAME\"");
      }
    }
    if (entry.containsKey("sim")) {
      throw new ConfigException("device.sim", Fields.Shape.OBJECT, "simulated devices are defined in the config file only");
    }
    if (!(entry.getValue("credentials") instanceof String) && (requireCredentials || entry.getValue("credentials") != null)) {
      throw new ConfigException("device.credentials", entry.getValue("credentials") instanceof String s ? s : abbreviate(entry.getValue("credentials")),
          "is required: the name of one of the config file's credentials"
              + (credentials.names().isEmpty() ? "" : " (here: " + String.join(", ", credentials.names()) + ")"));
    }
    // The file's defaults give timing only: its community and credentials are not for devices
    // that anyone with the operator role can point anywhere.
    JsonObject timing = defaults.copy();
    timing.remove("community");
    timing.remove("credentials");
    timing.remove("version");
    if (!entry.containsKey("credentials")) return device(entry.copy().put("credentials", NO_CREDENTIALS), timing, "device", null, 0, credentials, false);
    return device(entry, timing, "device", null, 0, credentials, false);
  }

  /** What a stored entry without a credential names: no credential can have this name (a space). */
  public static final String NO_CREDENTIALS = "(none)";

  private static WebConfig web(JsonObject w) {
    checkKeys(w, WEB_KEYS, "web.");
    Object enabled = w.getValue("enabled", Boolean.TRUE);
    if (!(enabled instanceof Boolean on)) throw new ConfigException("web.enabled", enabled, "must be true or false");
    String host = string(w, "host", "web.host", "127.0.0.1");
    if (host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
      throw new ConfigException("web.host", host, "must be an IP address or host name to listen on");
    }
    int port = intIn(w, "port", "web.port", 8080, 0, 65535);
    List<String> origins = new ArrayList<>();
    for (Object o : list(w, "allowedOrigins", "web")) {
      if (!(o instanceof String s) || !ORIGIN.matcher(s).matches()) {
        throw new ConfigException("web.allowedOrigins", o, "must be an origin like https://noc.example.net:8443");
      }
      origins.add(s);
    }
    List<java.net.URI> publicUrls = new ArrayList<>();
    for (Object o : list(w, "publicUrls", "web")) {
      if (!(o instanceof String s) || !PUBLIC_URL.matcher(s).matches()) {
        throw new ConfigException("web.publicUrls", o,
            "must be a URL like https://noc.example.net or http://10.0.0.5:8080 (no path: the dashboard is served at /)");
      }
      publicUrls.add(java.net.URI.create(s));
    }
    List<Cidr> proxies = new ArrayList<>();
    for (Object o : list(w, "trustedProxies", "web")) proxies.add(Cidr.parse("web.trustedProxies", o));
    WebConfig.Tls tls = null;
    if (w.getValue("tls") != null) {
      JsonObject t = object(w, "tls", "web.tls");
      checkKeys(t, Set.of("certFile", "keyFile"), "web.tls.");
      tls = new WebConfig.Tls(pem(t, "certFile", "CERTIFICATE"), pem(t, "keyFile", "PRIVATE KEY"));
    }
    return new WebConfig(on, host, port, List.copyOf(origins), List.copyOf(publicUrls), List.copyOf(proxies), tls,
        auth(object(w, "auth", "web.auth")),
        intIn(w, "maxHandlersPerSocket", "web.maxHandlersPerSocket", 1000, 1, 100_000),
        intIn(w, "maxFrameBytes", "web.maxFrameBytes", 16_384, 256, 1 << 20),
        intIn(w, "maxSockets", "web.maxSockets", 10_000, 1, 1_000_000),
        intIn(w, "maxSocketsPerUser", "web.maxSocketsPerUser", 50, 1, 1_000_000),
        doubleIn(w, "watchesPerSecond", "web.watchesPerSecond", 5, 0.1, 10_000),
        intIn(w, "idleTimeoutS", "web.idleTimeoutS", 120, 5, 86_400));
  }

  private static WebConfig.AuthConfig auth(JsonObject a) {
    checkKeys(a, AUTH_KEYS, "web.auth.");
    String mode = string(a, "mode", "web.auth.mode", "users");
    WebConfig.AuthConfig.Mode m = switch (mode) {
      case "users" -> WebConfig.AuthConfig.Mode.USERS;
      case "none" -> WebConfig.AuthConfig.Mode.NONE;
      default -> throw new ConfigException("web.auth.mode", mode, "must be users (sign-in with the users file) or none (no sign-in)");
    };
    String file = string(a, "usersFile", "web.auth.usersFile", "~/.ifpulse/users.json");
    if (file.isBlank()) throw new ConfigException("web.auth.usersFile", file, "must be a file path");
    return new WebConfig.AuthConfig(m, file,
        intIn(a, "sessionIdleMinutes", "web.auth.sessionIdleMinutes", 480, 1, 60 * 24 * 30),
        rateLimit(a, "signInPerSource", new WebConfig.RateLimit(5, 10)),
        rateLimit(a, "signInPerUser", new WebConfig.RateLimit(20, 30)));
  }

  private static WebConfig.RateLimit rateLimit(JsonObject a, String key, WebConfig.RateLimit dflt) {
    if (a.getValue(key) == null) return dflt;
    String path = "web.auth." + key;
    JsonObject r = object(a, key, path);
    checkKeys(r, Set.of("burst", "perMinute"), path + ".");
    return new WebConfig.RateLimit(intIn(r, "burst", path + ".burst", dflt.burst(), 1, 10_000),
        doubleIn(r, "perMinute", path + ".perMinute", dflt.perMinute(), 0.01, 100_000));
  }

  /** A PEM file that exists and holds the expected block; checked now so a typo stops the start. */
  private static String pem(JsonObject t, String key, String block) {
    String path = "web.tls." + key;
    String file = string(t, key, path, null);
    if (file == null) throw new ConfigException(path, null, "is required with web.tls");
    Path p = HubConfig.localPath(file);
    String text;
    try {
      text = Files.readString(p);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(path, file, "cannot be read (" + e.getMessage() + ")");
    }
    if (!text.contains("-----BEGIN ") || !text.contains(block + "-----")) {
      throw new ConfigException(path, file, "holds no PEM " + block + " block");
    }
    return p.toString();
  }

  private static List<String> tags(Object v, String path) {
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a) || a.size() > 64) throw new ConfigException(path, abbreviate(v), "must be a list of at most 64 tags");
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || !TAG.matcher(s).matches()) {
        throw new ConfigException(path, o, "must be a tag of 1-64 letters, digits, '_', '.', ':' or '-'");
      }
      if (!out.contains(s)) out.add(s);
    }
    return List.copyOf(out);
  }

  private static DeviceConfig device(JsonObject d, JsonObject defaults, String path, String simHost, int simPort,
      Credentials credentials, boolean fromFile) {
    checkKeys(d, DEVICE_KEYS, path + ".");
    Object idValue = d.getValue("id");
    if (!(idValue instanceof String id) || !DEVICE_ID.matcher(id).matches()) {
      throw new ConfigException(path + ".id", idValue,
          "must be 1-64 characters of letters, digits, '_', '.', ':' or '-' (it becomes part of event-bus addresses)");
    }
    JsonObject merged = defaults.copy();
    d.forEach(e -> merged.put(e.getKey(), e.getValue()));
    // A field's error names where the value came from: the device, or the defaults block.
    java.util.function.Function<String, String> where = k -> d.containsKey(k) ? path + "." + k : "defaults." + k;

    // The credential: the device's own name, else its inline community or v3 block, else the
    // defaults' name, else their inline community (the file's older form), else "public".
    boolean inlineHere = d.containsKey("community") || d.containsKey("v3");
    if (d.containsKey("credentials") && inlineHere) {
      throw new ConfigException(path + ".credentials", d.getValue("credentials"),
          "names a credential, so the device must not carry its own community or v3 block too");
    }
    Object named = d.containsKey("credentials") || inlineHere ? d.getValue("credentials") : merged.getValue("credentials");
    String credentialsName = null;
    Credential credential;
    SnmpVersion version;
    if (named != null) {
      if (!(named instanceof String n) || !(CREDENTIAL_NAME.matcher(n).matches() || (!fromFile && NO_CREDENTIALS.equals(n)))) {
        throw new ConfigException(where.apply("credentials"), named, "must be the name of one of the credentials");
      }
      credentialsName = n;
      credential = credentials.get(n);
      if (credential == null && fromFile) {
        throw new ConfigException(where.apply("credentials"), n, "names no credential of the credentials section"
            + (credentials.names().isEmpty() ? " (there is none)" : " (known: " + String.join(", ", credentials.names()) + ")"));
      }
      version = credential == null ? null : credential.version();
      if (d.containsKey("version") && version != null) {
        SnmpVersion asked = SnmpVersion.parse(path + ".version", string(d, "version", path + ".version", null));
        if (asked != version) {
          throw new ConfigException(path + ".version", asked.label, "differs from credential " + n + " (" + version.label + ")");
        }
      }
    } else {
      version = SnmpVersion.parse(where.apply("version"), string(merged, "version", where.apply("version"), "v2c"));
      credential = inlineCredential(null, version, merged, d, where, path);
    }

    SimDeviceSpec sim = null;
    String host;
    int port;
    if (d.containsKey("sim")) {
      if (!(d.getValue("sim") instanceof JsonObject simJson)) {
        throw new ConfigException(path + ".sim", d.getValue("sim"), "must be an object");
      }
      if (d.containsKey("host") || d.containsKey("port")) {
        throw new ConfigException(path + ".host", d.getValue("host"), "a simulated device gets its address from the simulator; remove host/port");
      }
      if (version == SnmpVersion.V3) {
        throw new ConfigException(where.apply(credentialsName != null ? "credentials" : "version"), credentialsName != null ? credentialsName : "v3",
            "simulated devices speak v1 and v2c only");
      }
      sim = SimDeviceSpec.fromJson(id, credential.community().reveal(), simJson, path + ".sim");
      host = simHost;
      port = simPort;
    } else {
      Object hostValue = d.getValue("host");
      if (!(hostValue instanceof String h) || !HOST.matcher(h).matches()) {
        throw new ConfigException(path + ".host", hostValue, "must be a host name or IP address");
      }
      host = h;
      port = intIn(merged, "port", where.apply("port"), 161, 1, 65535);
    }

    long intervalMs = longIn(merged, "intervalMs", where.apply("intervalMs"), 10_000, 100, 3_600_000);
    long liveIntervalMs = longIn(merged, "liveIntervalMs", where.apply("liveIntervalMs"), Math.min(1000, intervalMs), 100, 3_600_000);
    if (liveIntervalMs > intervalMs) {
      throw new ConfigException(where.apply("liveIntervalMs"), liveIntervalMs,
          "must not be longer than intervalMs (" + intervalMs + "), the interval while nobody watches");
    }
    long timeoutMs = longIn(merged, "timeoutMs", where.apply("timeoutMs"), 1000, 10, 60_000);
    int retries = intIn(merged, "retries", where.apply("retries"), 1, 0, 10);
    int maxInFlight = intIn(merged, "maxInFlight", where.apply("maxInFlight"), 4, 1, 1000);
    int maxReplyBytes = intIn(merged, "maxReplyBytes", where.apply("maxReplyBytes"), 1400, 484, 65_000);
    int maxInterfaces = intIn(merged, "maxInterfaces", where.apply("maxInterfaces"), DeviceConfig.DEFAULT_MAX_INTERFACES, 1,
        DeviceConfig.MAX_MAX_INTERFACES);
    long discoveryS = longIn(merged, "discoveryIntervalS", where.apply("discoveryIntervalS"), 300, 10, 86_400);
    double plausibility = doubleIn(merged, "plausibilityFactor", where.apply("plausibilityFactor"), 1.5, 1.0, 100);
    Object enabledValue = d.getValue("enabled", Boolean.TRUE);
    if (!(enabledValue instanceof Boolean enabled)) {
      throw new ConfigException(path + ".enabled", enabledValue, "must be true or false");
    }
    InterfaceFilter filter = InterfaceFilter.ALL;
    if (d.containsKey("interfaces")) {
      if (!(d.getValue("interfaces") instanceof JsonObject f)) {
        throw new ConfigException(path + ".interfaces", d.getValue("interfaces"), "must be an object of filters");
      }
      filter = filter(f, path + ".interfaces");
    }
    Set<ReadGroup> read = read(merged.getValue("read"), where.apply("read"));
    List<String> tags = tags(d.getValue("tags"), path + ".tags");
    TrapSource trapSource = null;
    if (d.getValue("trapSource") != null) {
      if (!(d.getValue("trapSource") instanceof String ts)) {
        throw new ConfigException(path + ".trapSource", d.getValue("trapSource"), "must be an IP address, optionally with :port");
      }
      try {
        trapSource = TrapSource.parse(ts);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path + ".trapSource", ts, e.getMessage());
      }
    }
    return new DeviceConfig(id, host, port, credentialsName, credential, intervalMs, liveIntervalMs, timeoutMs, retries, maxInFlight,
        maxReplyBytes, maxInterfaces, discoveryS * 1000, plausibility, enabled, filter, read, tags, sim, trapSource);
  }

  private static Set<ReadGroup> read(Object value, String path) {
    if (value == null) return ReadGroup.ALL;
    if (!(value instanceof JsonArray a) || a.isEmpty()) {
      throw new ConfigException(path, abbreviate(value), "must be a non-empty list of: octets, packets, errors, discards, status");
    }
    java.util.EnumSet<ReadGroup> out = java.util.EnumSet.noneOf(ReadGroup.class);
    for (Object o : a) out.add(ReadGroup.parse(o, path));
    if (!out.contains(ReadGroup.OCTETS) && !out.contains(ReadGroup.PACKETS) && !out.contains(ReadGroup.ERRORS)
        && !out.contains(ReadGroup.DISCARDS)) {
      throw new ConfigException(path, abbreviate(a), "must name at least one counter group (octets, packets, errors, discards)");
    }
    return Set.copyOf(out);
  }

  private static V3Security v3(JsonObject j, String path) {
    checkKeys(j, V3_KEYS, path + ".");
    String user = string(j, "user", path + ".user", null);
    if (user == null || user.isEmpty() || user.length() > 32) {
      throw new ConfigException(path + ".user", user, "must be a user name of 1-32 characters");
    }
    Auth auth = V3Security.parse(Auth.class, path + ".authProtocol", string(j, "authProtocol", path + ".authProtocol", "none"));
    Priv priv = V3Security.parse(Priv.class, path + ".privProtocol", string(j, "privProtocol", path + ".privProtocol", "none"));
    Secret authPass = passphrase(j, "authPassphrase", path, auth != Auth.NONE);
    Secret privPass = passphrase(j, "privPassphrase", path, priv != Priv.NONE);
    if (priv != Priv.NONE && auth == Auth.NONE) {
      throw new ConfigException(path + ".privProtocol", priv.label, "privacy needs an authProtocol too (USM has no noAuthPriv)");
    }
    return new V3Security(user, auth, authPass, priv, privPass);
  }

  private static Secret passphrase(JsonObject j, String key, String path, boolean required) {
    Object v = j.getValue(key);
    if (!required) {
      if (v != null) throw new ConfigException(path + "." + key, new Secret(String.valueOf(v)), "is set but its protocol is none");
      return null;
    }
    if (!(v instanceof String s) || s.length() < 8) {
      // RFC 3414 asks for at least 8 characters; agents reject shorter ones with an opaque error.
      throw new ConfigException(path + "." + key, v == null ? null : new Secret(String.valueOf(v)), "must be a passphrase of at least 8 characters");
    }
    return new Secret(s);
  }

  private static InterfaceFilter filter(JsonObject f, String path) {
    checkKeys(f, FILTER_KEYS, path + ".");
    Set<Integer> types = new LinkedHashSet<>();
    for (Object t : list(f, "types", path)) {
      if (!(t instanceof Number n) || n.intValue() < 1 || n.intValue() != n.doubleValue()) {
        throw new ConfigException(path + ".types", t, "must be ifType numbers (e.g. 6 for ethernetCsmacd)");
      }
      types.add(n.intValue());
    }
    return new InterfaceFilter(regexes(f, "includeName", path), regexes(f, "excludeName", path),
        regexes(f, "includeAlias", path), regexes(f, "excludeAlias", path),
        regexes(f, "includeDescr", path), regexes(f, "excludeDescr", path),
        Set.copyOf(types), statuses(f, "adminStatus", path), statuses(f, "operStatus", path));
  }

  /** The longest interface-filter regex: a pattern's compiled size follows its length. */
  static final int MAX_REGEX_LENGTH = 1000;

  /** Linear-time regexes (RE2/J, see {@link InterfaceFilter}); anything else is refused, naming the field. */
  private static List<com.google.re2j.Pattern> regexes(JsonObject f, String key, String path) {
    List<com.google.re2j.Pattern> out = new ArrayList<>();
    for (Object o : list(f, key, path)) {
      if (!(o instanceof String s)) throw new ConfigException(path + "." + key, o, "must be a regular expression string");
      if (s.length() > MAX_REGEX_LENGTH) {
        throw new ConfigException(path + "." + key, abbreviate(s), "is longer than " + MAX_REGEX_LENGTH + " characters");
      }
      try {
        out.add(com.google.re2j.Pattern.compile(s));
      } catch (com.google.re2j.PatternSyntaxException e) {
        throw new ConfigException(path + "." + key, s, "is not a regular expression that matches in linear time (RE2 syntax;"
            + " no backreferences or lookaround): " + e.getDescription());
      }
    }
    return List.copyOf(out);
  }

  private static Set<String> statuses(JsonObject f, String key, String path) {
    Set<String> out = new LinkedHashSet<>();
    for (Object o : list(f, key, path)) {
      if (!(o instanceof String s) || !STATUS_WORDS.contains(s)) {
        throw new ConfigException(path + "." + key, o, "must be one of " + new java.util.TreeSet<>(STATUS_WORDS));
      }
      out.add(s);
    }
    return Set.copyOf(out);
  }

  // The readers below are Fields (the one way every part of the config is checked), each with the
  // field's full path in the file: for a device's merged settings, where the value came from.

  private static Fields at(JsonObject j, String fullPath) {
    return Fields.merged(j, k -> fullPath);
  }

  /** A list value, also accepting a single value for convenience ("includeName": "^Gi"). */
  private static List<Object> list(JsonObject j, String key, String path) {
    return Fields.of(j, path).list(key);
  }

  private static void checkKeys(JsonObject j, Set<String> allowed, String prefix) {
    Fields.of(j, prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix).known(allowed);
  }

  private static Object abbreviate(Object v) {
    return Fields.shown("", v);
  }

  private static JsonObject object(JsonObject j, String key, String path) {
    return at(j, path).object(key);
  }

  private static String string(JsonObject j, String key, String path, String dflt) {
    return at(j, path).string(key, dflt);
  }

  private static long longIn(JsonObject j, String key, String path, long dflt, long min, long max) {
    return at(j, path).integer(key, dflt, min, max);
  }

  private static int intIn(JsonObject j, String key, String path, int dflt, int min, int max) {
    return (int) longIn(j, key, path, dflt, min, max);
  }

  private static double doubleIn(JsonObject j, String key, String path, double dflt, double min, double max) {
    return at(j, path).number(key, dflt, min, max);
  }

  private static Object interpolate(Object v, Map<String, String> env, String path) {
    if (v instanceof JsonObject o) {
      for (String k : new ArrayList<>(o.fieldNames())) o.put(k, interpolate(o.getValue(k), env, path + (path.isEmpty() ? "" : ".") + k));
      return o;
    }
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) a.set(i, interpolate(a.getValue(i), env, path + "[" + i + "]"));
      return a;
    }
    if (v instanceof String s && s.contains("${")) {
      Matcher m = ENV_REF.matcher(s);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null) value = m.group(2);
        if (value == null) {
          throw new ConfigException(path, s, "refers to environment variable " + m.group(1) + ", which is not set");
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      return sb.toString();
    }
    return v;
  }

  private static void applyOverrides(JsonObject json, Map<String, String> env) {
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(OVERRIDE_PREFIX)) continue;
      String[] parts = e.getKey().substring(OVERRIDE_PREFIX.length()).split("__");
      Object node = json;
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        boolean last = i == parts.length - 1;
        Object value = last ? overrideValue(e.getValue()) : null;
        if (node instanceof JsonObject o) {
          if (last) o.put(part, value);
          else {
            if (o.getValue(part) == null) o.put(part, new JsonObject());
            node = o.getValue(part);
          }
        } else if (node instanceof JsonArray a) {
          int idx;
          try {
            idx = Integer.parseInt(part);
          } catch (NumberFormatException ex) {
            throw new ConfigException(e.getKey(), part, "must be an array index here");
          }
          if (idx < 0 || idx >= a.size()) throw new ConfigException(e.getKey(), idx, "is not an element of the list");
          if (last) a.set(idx, value);
          else node = a.getValue(idx);
        } else {
          throw new ConfigException(e.getKey(), part, "does not name an object or list in the config");
        }
      }
    }
  }

  private static Object overrideValue(String s) {
    try {
      return io.vertx.core.json.Json.decodeValue(s);
    } catch (DecodeException notJson) {
      return s;
    }
  }
}

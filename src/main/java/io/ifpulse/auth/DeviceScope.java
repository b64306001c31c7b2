package io.ifpulse.auth;

import io.ifpulse.config.Glob;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The devices an account may see: those whose id matches one of {@code patterns} or that carry
 * one of {@code tags}. No patterns and no tags means every device.
 *
 * <p>Patterns are globs ({@code *} for any run of characters, {@code ?} for one), matched against
 * the whole id: {@code cust-a-*} is every device whose id starts with {@code cust-a-}. They are
 * matched by a small loop, not a regex, so a pattern from a file costs time linear in the id.
 */
public record DeviceScope(List<String> patterns, List<String> tags) {
  public static final DeviceScope ALL = new DeviceScope(List.of(), List.of());
  /** Device-id patterns and tags share the device-id alphabet, plus the glob characters. */
  static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_.:*?-]{1,64}");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  public DeviceScope {
    patterns = List.copyOf(patterns);
    tags = List.copyOf(tags);
  }

  public boolean unlimited() {
    return patterns.isEmpty() && tags.isEmpty();
  }

  /** Whether the device with this id and these tags is in the scope. */
  public boolean permits(String deviceId, Collection<String> deviceTags) {
    if (unlimited()) return true;
    if (deviceId == null) return false;
    for (String p : patterns) if (Glob.matches(p, deviceId)) return true;
    if (deviceTags != null) for (String t : tags) if (deviceTags.contains(t)) return true;
    return false;
  }

  /** For logs and the account listing. */
  public String describe() {
    if (unlimited()) return "all devices";
    StringBuilder sb = new StringBuilder();
    if (!patterns.isEmpty()) sb.append("devices ").append(String.join(" ", patterns));
    if (!tags.isEmpty()) sb.append(sb.length() > 0 ? ", " : "").append("tags ").append(String.join(" ", tags));
    return sb.toString();
  }
}

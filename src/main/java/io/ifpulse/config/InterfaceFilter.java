package io.ifpulse.config;

import java.util.List;
import java.util.Set;
import com.google.re2j.Pattern;

/**
 * Which discovered interfaces a device polls. An interface is polled when it matches every
 * include rule that is set and no exclude rule. Regexes match anywhere in the text ({@code find}),
 * so {@code "^Gi"} and {@code "uplink"} both work as an operator expects.
 *
 * <p>The texts come from the agent and the patterns may come from a REST body: both are hostile.
 * The patterns are RE2/J's, which match in time linear in the text (no backtracking, so no
 * {@code ^(a|aa)+$} that runs for minutes on the poller's event loop); what RE2 cannot do in
 * linear time (backreferences, lookaround) is refused when the config or the body is read.
 *
 * @param types ifType numbers to keep (empty: all)
 * @param adminStatus admin states to keep, e.g. "up" (empty: all)
 * @param operStatus oper states to keep (empty: all)
 */
public record InterfaceFilter(
    List<Pattern> includeName,
    List<Pattern> excludeName,
    List<Pattern> includeAlias,
    List<Pattern> excludeAlias,
    List<Pattern> includeDescr,
    List<Pattern> excludeDescr,
    Set<Integer> types,
    Set<String> adminStatus,
    Set<String> operStatus) {

  public static final InterfaceFilter ALL =
      new InterfaceFilter(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of());

  public boolean accepts(String name, String alias, String descr, int type, String admin, String oper) {
    return included(includeName, name) && !excluded(excludeName, name)
        && included(includeAlias, alias) && !excluded(excludeAlias, alias)
        && included(includeDescr, descr) && !excluded(excludeDescr, descr)
        && (types.isEmpty() || types.contains(type))
        && (adminStatus.isEmpty() || adminStatus.contains(admin))
        && (operStatus.isEmpty() || operStatus.contains(oper));
  }

  private static boolean included(List<Pattern> patterns, String text) {
    if (patterns.isEmpty()) return true;
    String t = text == null ? "" : text;
    return patterns.stream().anyMatch(p -> p.matcher(t).find());
  }

  private static boolean excluded(List<Pattern> patterns, String text) {
    String t = text == null ? "" : text;
    return patterns.stream().anyMatch(p -> p.matcher(t).find());
  }
}

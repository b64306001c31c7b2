package io.ifpulse.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What browsers may do on the bus. Everything is denied unless listed here, and every entry names
 * an address or a regex over the whole address: an empty {@link PermittedOptions} would permit
 * everything.
 *
 * <ul>
 *   <li>outbound (to browsers): samples, status and alerts;
 *   <li>inbound (from browsers): only {@code {"type":"watch","device":...}} to {@value
 *       #INTEREST}, the declaration that a page is watching a device.
 * </ul>
 */
final class BridgePolicy {
  static final String INTEREST = "ifpulse.interest";
  // Device ids: the same alphabet ConfigLoader accepts.
  static final String TRAFFIC_REGEX = "ifpulse\\.traffic\\.[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";
  static final String STATUS_REGEX = "ifpulse\\.status\\.[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";
  static final String ALERTS = "ifpulse.alerts";

  private static final List<Pattern> OUTBOUND = List.of(Pattern.compile(TRAFFIC_REGEX), Pattern.compile(STATUS_REGEX),
      Pattern.compile(Pattern.quote(ALERTS)));

  private BridgePolicy() {}

  static SockJSBridgeOptions options(int maxHandlersPerSocket) {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(TRAFFIC_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(STATUS_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddress(ALERTS))
        .addInboundPermitted(new PermittedOptions().setAddress(INTEREST).setMatch(new JsonObject().put("type", "watch")))
        // One above ours: BridgeSockets refuses (and counts) at maxHandlersPerSocket; this is the backstop.
        .setMaxHandlersPerSocket(maxHandlersPerSocket + 1)
        .setMaxAddressLength(128);
  }

  /** Same decision as the bridge makes for outbound registrations. */
  static boolean outboundPermitted(String address) {
    if (address == null) return false;
    for (Pattern p : OUTBOUND) if (p.matcher(address).matches()) return true;
    return false;
  }
}

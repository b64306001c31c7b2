package io.ifpulse.web;

import io.ifpulse.events.Addresses;
import io.ifpulse.events.Interest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;

/**
 * What browsers may do on the bus, in the bridge's terms. Everything is denied unless listed
 * here, and every entry names an address or a regex over the whole address: an empty {@link
 * PermittedOptions} would permit everything. The addresses and patterns are the contract's
 * ({@link Addresses}):
 *
 * <ul>
 *   <li>outbound (to browsers): samples, status, notifications, alerts, the summary and group samples;
 *   <li>inbound (from browsers): only {@code {"type":"watch","device":...}} (or {@code "group"}) to
 *       {@value Addresses#BROWSER_SENDS}, the declaration that a page is watching a device or a group.
 * </ul>
 */
final class BridgePolicy {
  /** The longest address a browser may name (ours are far shorter); longer ones are refused. */
  static final int MAX_ADDRESS_LENGTH = 128;

  private BridgePolicy() {}

  static SockJSBridgeOptions options(int maxHandlersPerSocket) {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.TRAFFIC_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.STATUS_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.TRAPS_REGEX))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.ALERTS))
        .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.SUMMARY))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.GROUP_REGEX))
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.BROWSER_SENDS)
            .setMatch(new JsonObject().put(Interest.TYPE_FIELD, Interest.WATCH)))
        // One above ours: BridgeSockets refuses (and counts) at maxHandlersPerSocket; this is the backstop.
        .setMaxHandlersPerSocket(maxHandlersPerSocket + 1)
        .setMaxAddressLength(MAX_ADDRESS_LENGTH);
  }
}

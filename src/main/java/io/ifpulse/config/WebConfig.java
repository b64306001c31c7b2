package io.ifpulse.config;

import java.util.List;

/**
 * The HTTP side: REST, static dashboard and the SockJS event-bus bridge.
 *
 * @param allowedOrigins origins (scheme://host:port) allowed to open the bridge besides the hub's
 *     own; empty means same-origin only
 * @param maxHandlersPerSocket addresses one browser may register at once
 * @param maxFrameBytes largest SockJS frame a browser may send
 */
public record WebConfig(boolean enabled, String host, int port, List<String> allowedOrigins, int maxHandlersPerSocket,
    int maxFrameBytes) {}

package io.ifpulse.registry;

/**
 * A change to the device list could not be kept (the registry file could not be written, or the
 * cluster's map did not take it): nothing was changed, and the REST API answers 503.
 */
public final class RegistryUnavailable extends RuntimeException {
  public RegistryUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}

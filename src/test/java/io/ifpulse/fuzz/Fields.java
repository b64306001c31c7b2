package io.ifpulse.fuzz;

import io.ifpulse.config.ConfigException;

/** What a refusal must say: which field, so the operator can find it. */
final class Fields {
  private Fields() {}

  static void requireNamed(ConfigException e) {
    if (e.field() == null || e.field().isBlank()) throw new AssertionError("a refusal naming no field: " + e.getMessage(), e);
    if (e.getMessage() == null || !e.getMessage().contains(e.field())) {
      throw new AssertionError("the message does not name the field " + e.field() + ": " + e.getMessage(), e);
    }
  }
}

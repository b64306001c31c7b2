package io.ifpulse.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the code alone: tables, decoders, rules of the build. No agent, simulator, hub,
 * browser or cluster, so the whole tier runs in seconds and first, before the integration tests
 * (which start real parts), and alone with {@code scripts/test.sh --unit}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("unit")
public @interface Unit {}

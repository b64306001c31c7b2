package io.ifpulse.auth;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class DeviceScopeTest {

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  /** A pattern covers the whole id: '*' any run (also none), '?' exactly one character. */
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      cust-a-1       | cust-a-1          | true
      cust-a-1       | cust-a-2          | false
      cust-a-1       | cust-a-10         | false
      cust-a-*       | cust-a-1          | true
      cust-a-*       | cust-a-core-7     | true
      cust-a-*       | cust-a-           | true
      cust-a-*       | cust-a            | false
      cust-a-*       | xcust-a-1         | false
      cust-a-*       | cust-b-1          | false
      CUST-A-*       | cust-a-1          | false
      *              | anything.at:all   | true
      **             | x                 | true
      ?              | a                 | true
      ?              | ab                | false
      sw?-core       | sw1-core          | true
      sw?-core       | sw12-core         | false
      sw?-core       | sw-core           | false
      *-core         | edge-core         | true
      *-core         | edge-core-2       | false
      edge-*         | edge-core         | true
      *core*         | my-core-1         | true
      *core*         | my-cor-1          | false
      a*b*c          | a-x-b-y-c         | true
      a*b*c          | a-x-c-y-b         | false
      cust-*-sw*     | cust-a-sw1        | true
      cust-*-sw*     | cust--sw          | true
      cust-*-sw*     | cust-a-rtr1       | false
      *ab            | aab               | true
      *a*b           | aaab              | true
      *a*b           | aaba              | false
      a*a            | a                 | false
      ?*?            | ab                | true
      ?*?            | a                 | false
      """)
  void globMatchesTheWholeId(String pattern, String id, boolean matches) {
    assertEquals(matches, new DeviceScope(List.of(pattern), List.of()).permits(id, List.of()));
  }

  /** Patterns or tags grant a device; none of either grants every device. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unlimited                      |                        |          | any-device | red       | true
      unlimited, no tags given       |                        |          | any-device |           | true
      pattern                        | cust-a-*               |          | cust-a-1   |           | true
      pattern, other device          | cust-a-*               |          | cust-b-1   | red       | false
      second pattern                 | cust-a-* cust-b-?      |          | cust-b-1   |           | true
      tag                            |                        | red      | core-1     | red blue  | true
      tag missing                    |                        | red      | core-1     | blue      | false
      device without tags            |                        | red      | core-1     |           | false
      tags are exact, not prefixes   |                        | red      | core-1     | red-1     | false
      tags are case-sensitive        |                        | red      | core-1     | Red       | false
      pattern or tag: by tag         | cust-a-*               | red      | core-1     | red       | true
      pattern or tag: by pattern     | cust-a-*               | red      | cust-a-9   |           | true
      pattern or tag: neither        | cust-a-*               | red      | core-1     | blue      | false
      """)
  void permits(String name, String patterns, String tags, String id, String deviceTags, boolean expected) {
    DeviceScope scope = new DeviceScope(words(patterns), words(tags));
    assertEquals(expected, scope.permits(id, words(deviceTags)), name);
    assertEquals(words(patterns).isEmpty() && words(tags).isEmpty(), scope.unlimited(), name);
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', textBlock = """
                          |           | all devices
      cust-a-* core-?     |           | devices cust-a-* core-?
                          | red blue  | tags red blue
      cust-a-*            | red       | devices cust-a-*, tags red
      """)
  void describe(String patterns, String tags, String expected) {
    assertEquals(expected, new DeviceScope(words(patterns), words(tags)).describe());
  }

  /** A pattern from the users file must not be able to stall a request: time linear in the id. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      *a*a*a*a*a*a*a*b                                                 | false
      *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b   | false
      *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a   | true
      ?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*b  | false
      """)
  void pathologicalPatternsAnswerQuickly(String pattern, boolean matches) {
    String id = "a".repeat(64);
    DeviceScope scope = new DeviceScope(List.of(pattern), List.of());
    assertTimeoutPreemptively(Duration.ofMillis(500), () -> {
      for (int i = 0; i < 1000; i++) assertEquals(matches, scope.permits(id, List.of()));
    });
  }

  @org.junit.jupiter.api.Test
  void noDeviceIdIsNoDevice() {
    assertFalse(new DeviceScope(List.of("*"), List.of()).permits(null, List.of()));
  }
}

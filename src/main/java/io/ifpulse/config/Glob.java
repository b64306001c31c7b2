package io.ifpulse.config;

/**
 * Glob matching of device ids ({@code *} any run of characters, {@code ?} one) over the whole text,
 * for account scopes and group members alike: greedy with one backtrack point (the last
 * {@code *}), so O(pattern × text) at worst however the stars are placed, and no recursion.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}

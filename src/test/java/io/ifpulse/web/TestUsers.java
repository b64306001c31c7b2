package io.ifpulse.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ifpulse.auth.DeviceScope;
import io.ifpulse.auth.Passwords;
import io.ifpulse.auth.Role;
import io.ifpulse.auth.UsersFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A users file for a test hub, and signing in to it as a browser does. */
final class TestUsers {
  /** bcrypt's lowest cost the users file accepts: the tests' sign-ins stay quick. */
  static final int COST = 10;

  private UsersFile file = UsersFile.EMPTY;
  private final Map<String, String> tokens = new HashMap<>();

  TestUsers user(String name, Role role, String password, String... devicePatterns) {
    file = file.withUser(new UsersFile.Entry(name, role, Passwords.hash(password, COST), new DeviceScope(List.of(devicePatterns), List.of())));
    return this;
  }

  TestUsers token(String name, Role role, String... devicePatterns) {
    String token = Passwords.newToken();
    tokens.put(name, token);
    file = file.withToken(new UsersFile.Entry(name, role, Passwords.tokenHash(token), new DeviceScope(List.of(devicePatterns), List.of())));
    return this;
  }

  /** The bearer token made for {@code name}. */
  String token(String name) {
    return tokens.get(name);
  }

  UsersFile file() {
    return file;
  }

  Path write(Path path) throws IOException {
    file.write(path);
    return path;
  }

  /** "ifpulse-session=..." after signing in through POST /api/session, as the dashboard does. */
  static String signIn(int port, String user, String password) throws IOException {
    HttpProbe.Response r = HttpProbe.to(port).header("Origin", "http://127.0.0.1:" + port).header("Content-Type", "application/json")
        .send("POST", "/api/session", new JsonObject().put("user", user).put("password", password).encode());
    assertEquals(200, r.status(), "sign-in of " + user + ": " + r.body());
    return cookie(r);
  }

  static String cookie(HttpProbe.Response r) {
    for (String c : r.all("Set-Cookie")) {
      if (c.startsWith(WebVerticle.SESSION_COOKIE + "=")) return c.substring(0, c.indexOf(';'));
    }
    throw new AssertionError("no session cookie in " + r.headers());
  }

  static String setCookie(HttpProbe.Response r) {
    for (String c : r.all("Set-Cookie")) if (c.startsWith(WebVerticle.SESSION_COOKIE + "=")) return c;
    throw new AssertionError("no session cookie in " + r.headers());
  }
}

package io.ifpulse.testing;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real hub (simulator, poller, history, web) on free ports, open on loopback, with its users
 * and registry files in a fresh directory and the environment a test gives it; and a client for
 * its REST API.
 */
public final class HubUnderTest implements AutoCloseable {
  private final Main.Hub hub;
  private final HttpClient http = HttpClient.newHttpClient();

  private HubUnderTest(Main.Hub hub) {
    this.hub = hub;
  }

  public static HubUnderTest start(String json, Map<String, String> env) throws Exception {
    Path dir = Files.createTempDirectory("ifpulse-hub");
    JsonObject cfg = new JsonObject(json);
    cfg.put("simulator", new JsonObject().put("basePort", 0));
    cfg.put("web", new JsonObject().put("port", 0).put("auth", new JsonObject().put("usersFile", dir.resolve("users.json").toString())));
    cfg.put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()));
    HubConfig config = ConfigLoader.parse(cfg, Map.of());
    return new HubUnderTest(Main.start(config, new Main.Options(false, false, Main.Role.ALL, true), env));
  }

  public Main.Hub hub() {
    return hub;
  }

  public HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path));
    if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    else b.method(method, HttpRequest.BodyPublishers.noBody());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET of a JSON answer that must be 200. */
  public JsonObject json(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    if (r.statusCode() != 200) throw new AssertionError(path + ": " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  @Override
  public void close() {
    hub.close();
  }
}

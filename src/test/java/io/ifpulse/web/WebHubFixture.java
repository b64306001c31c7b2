package io.ifpulse.web;

import io.ifpulse.Main;
import io.ifpulse.config.ConfigLoader;
import io.ifpulse.config.HubConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Starts the real hub (simulator, poller, history, web) on free ports from a JSON config. */
final class WebHubFixture {
  private WebHubFixture() {}

  static Main.Hub start(String json) throws Exception {
    JsonObject cfg = new JsonObject(json);
    cfg.put("simulator", new JsonObject().put("basePort", 0));
    JsonObject web = cfg.getJsonObject("web", new JsonObject());
    cfg.put("web", web.put("port", web.getInteger("port", 0)));
    if (!web.containsKey("auth") || !web.getJsonObject("auth").containsKey("usersFile")) {
      // An open hub unless the test gives users, whatever the user's own ~/.ifpulse/users.json holds.
      java.nio.file.Path none = java.nio.file.Files.createTempDirectory("ifpulse-users").resolve("users.json");
      JsonObject auth = web.getJsonObject("auth", new JsonObject());
      web.put("auth", auth.put("usersFile", none.toString()));
    }
    if (!cfg.containsKey("registry")) {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ifpulse-registry");
      dir.toFile().deleteOnExit();
      cfg.put("registry", new JsonObject().put("file", dir.resolve("devices.json").toString()));
    }
    HubConfig config = ConfigLoader.parse(cfg, Map.of());
    return Main.start(config, false);
  }
}

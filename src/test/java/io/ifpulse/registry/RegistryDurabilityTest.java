package io.ifpulse.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry file under a real hub process: a corrupt file at start, a full disk, a SIGTERM in
 * the middle of a burst of changes; the groups file beside it for the first two. What an acknowledged change (201/204) promises is checked on
 * the file and on a restarted hub.
 */
class RegistryDurabilityTest {
  private static final Pattern DASHBOARD = Pattern.compile("dashboard at http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Path mounted;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    if (mounted != null) new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
  }

  /** A hub with one simulated device, its registry at {@code registry}, open on loopback. */
  private Path config(Path registry) throws IOException {
    Path cfg = dir.resolve("hub.json");
    Files.writeString(cfg, new JsonObject("""
        {"simulator": {"basePort": 0}, "web": {"port": 0},
         "credentials": {"lab": {"community": "public"}},
         "devices": [{"id": "sw1", "sim": {"model": "steady", "interfaces": 2, "rateMbps": 10}}]}""")
        .put("registry", new JsonObject().put("file", registry.toString()))
        .put("web", new JsonObject().put("port", 0).put("auth", new JsonObject().put("usersFile", dir.resolve("no-users.json").toString())))
        .encodePrettily());
    return cfg;
  }

  private record Hub(Process process, Path stderr, int port) {}

  private Process launch(Path config, Path stderr) throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.ifpulse.Main", "--config", config.toString());
    Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    return p;
  }

  private Hub start(Path config, String name) throws Exception {
    Path stderr = dir.resolve(name + ".stderr");
    Process p = launch(config, stderr);
    int port = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      String err = Files.readString(stderr);
      assertTrue(p.isAlive(), () -> "hub exited: " + err);
      Matcher m = DASHBOARD.matcher(err);
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }, port1 -> port1 > 0);
    return new Hub(p, stderr, port);
  }

  /** A group of the config's device. */
  private static final String GROUP = "{\"members\": [{\"device\": \"sw1\"}]}";

  private static String device(String id) {
    // Not enabled: the test is about the list, not about polling 400 unreachable devices.
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", 9).put("credentials", "lab").put("enabled", false).encode();
  }

  private HttpRequest request(Hub hub, String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path)).timeout(Duration.ofSeconds(30));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return b.build();
  }

  private HttpResponse<String> send(Hub hub, String method, String path, String body) throws Exception {
    return http.send(request(hub, method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, as an init system stops the hub; it must exit by itself. */
  private static void terminate(Hub hub) throws Exception {
    hub.process().destroy();
    assertTrue(hub.process().waitFor(60, TimeUnit.SECONDS), "the hub stops on SIGTERM");
  }

  private static List<String> temporaries(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }

  @Test
  void aCorruptRegistryFileStopsTheHubNamingTheFileAndTheCopyItKeeps() throws Exception {
    // Cut short mid-entry, as a writer without fsync leaves it after a power cut.
    String err = startsNotOver("devices.json", "{\"devices\": {\"gone\": {\"deleted\": true}, \"edge-1\": {\"id\": \"edge-1\", \"ho");
    assertTrue(err.contains("config's devices only"), err);
  }

  @Test
  void aCorruptGroupsFileStopsTheHubToo() throws Exception {
    // Beside the registry, named after it (HubConfig.groupsFile). The groups removed at run time
    // are tombstones in this file: starting over a broken one would bring them back at the next change.
    String err = startsNotOver("groups.json", "{\"groups\": {\"uplinks\": {\"deleted\": true}, \"core\": {\"members\": [");
    assertTrue(err.contains("config's groups only"), err);
  }

  /**
   * Writes {@code bad} as the file {@code name} beside the registry and starts a hub: it must exit
   * with 2 before anything starts, naming the file and the copy it keeps, and leave the file as it
   * was. Returns what the hub said.
   */
  private String startsNotOver(String name, String bad) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, bad);
    Path stderr = dir.resolve(name + ".stderr");
    Process p = launch(config(dir.resolve("devices.json")), stderr);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits by itself");
    String err = Files.readString(stderr);
    assertEquals(2, p.exitValue(), err);
    Path bak = dir.resolve(name + ".bak");
    assertTrue(err.contains("registry file " + file + " is corrupt"), err);
    assertTrue(err.contains("a copy is kept as " + bak), err);
    assertFalse(err.contains("dashboard at") || err.contains("polling"), "nothing started: " + err);
    assertEquals(bad, Files.readString(bak));
    assertEquals(bad, Files.readString(file), "the file is left as it was");
    return err;
  }

  @Test
  void aFullDiskAnswers503AndLosesNothing() throws Exception {
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "needs root to mount a 64 KB tmpfs: " + new String(mount.getInputStream().readAllBytes()));
    mounted = disk;
    // Three pages (12 KB) left for the registry: a file of a few devices fits, twice (old and new).
    Files.write(disk.resolve("filler"), new byte[52 * 1024]);
    Path registry = disk.resolve("devices.json");
    Hub hub = start(config(registry), "full");

    Set<String> acknowledged = new java.util.LinkedHashSet<>();
    HttpResponse<String> refused = null;
    String refusedId = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      HttpResponse<String> r = send(hub, "POST", "/api/devices", device("d" + i));
      if (r.statusCode() == 201) {
        acknowledged.add("d" + i);
      } else {
        refused = r;
        refusedId = "d" + i;
      }
    }
    assertTrue(refused != null, "the disk filled up within 200 devices");
    assertEquals(503, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("No space left on device") && refused.body().contains("nothing was changed"), refused.body());
    assertFalse(refused.body().contains(disk.toString()), "no path in the answer: " + refused.body());
    assertEquals(404, send(hub, "GET", "/api/devices/" + refusedId, null).statusCode(), "the refused device is not there");
    assertFalse(acknowledged.isEmpty());

    // Not one byte left: a removal and a change are refused too, and change nothing.
    try (OutputStream out = Files.newOutputStream(disk.resolve("filler2"))) {
      byte[] page = new byte[4096];
      for (int i = 0; i < 16; i++) out.write(page);
    } catch (IOException full) {
      // the disk is full now
    }
    String first = acknowledged.iterator().next();
    HttpResponse<String> delete = send(hub, "DELETE", "/api/devices/" + first, null);
    assertEquals(503, delete.statusCode(), delete.body());
    HttpResponse<String> change = send(hub, "PUT", "/api/devices/" + first,
        new JsonObject(device(first)).put("port", 10).encode());
    assertEquals(503, change.statusCode(), change.body());
    // The groups file is on the same disk: a new group is refused the same way, and is not there.
    HttpResponse<String> group = send(hub, "POST", "/api/groups/uplinks", GROUP);
    assertEquals(503, group.statusCode(), group.body());
    assertTrue(group.body().contains("nothing was changed"), group.body());
    assertEquals(404, send(hub, "GET", "/api/groups/uplinks", null).statusCode(), "the refused group is not there");
    HttpResponse<String> still = send(hub, "GET", "/api/devices/" + first, null);
    assertEquals(200, still.statusCode(), "a refused removal leaves the device");
    assertTrue(still.body().contains("\"port\":9"), "a refused change leaves the device as it was: " + still.body());
    Map<String, JsonObject> onDisk = new RegistryFile(registry).read();
    assertEquals(acknowledged, onDisk.keySet(), "the file holds exactly what was acknowledged");
    assertEquals(List.of(), temporaries(disk), "a failed write leaves no temporary behind");

    // Space again: the refused changes can be made now.
    Files.delete(disk.resolve("filler2"));
    Files.delete(disk.resolve("filler"));
    assertEquals(201, send(hub, "POST", "/api/devices", device(refusedId)).statusCode());
    assertEquals(204, send(hub, "DELETE", "/api/devices/" + first, null).statusCode());
    acknowledged.add(refusedId);
    assertEquals(201, send(hub, "POST", "/api/groups/uplinks", GROUP).statusCode());
    terminate(hub);

    Hub again = start(config(registry), "full-again");
    for (String id : acknowledged) {
      assertEquals(id.equals(first) ? 404 : 200, send(again, "GET", "/api/devices/" + id, null).statusCode(), id);
    }
    assertEquals(200, send(again, "GET", "/api/groups/uplinks", null).statusCode(), "the group made once there was space");
  }

  @Test
  void sigtermInABurstOfChangesLosesNoAcknowledgedOne() throws Exception {
    Path registry = dir.resolve("devices.json");
    Hub hub = start(config(registry), "burst");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    // Changes keep coming, 20 at a time, until the hub is gone: the SIGTERM, at the 40th
    // acknowledgement (from the client's own thread), falls in the middle of them.
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(20);
    int sent = 0;
    for (int i = 0; i < 5000 && hub.process().isAlive(); i++) {
      if (!window.tryAcquire(30, TimeUnit.SECONDS)) break;
      String id = "b" + i;
      sent++;
      inFlight.add(http.sendAsync(request(hub, "POST", "/api/devices", device(id)), HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> window.release())
          .thenAccept(r -> {
            if (r.statusCode() == 201 && acknowledged.add(id) && acknowledged.size() == 40) hub.process().destroy();
          }));
    }
    assertTrue(hub.process().waitFor(60, TimeUnit.SECONDS), "the hub stops on SIGTERM");
    CompletableFuture.allOf(inFlight.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);
    Set<String> acked = Set.copyOf(acknowledged);
    assertTrue(acked.size() >= 40 && acked.size() < sent,
        "the SIGTERM came in the middle of the burst (" + acked.size() + " of " + sent + " acknowledged)");

    Map<String, JsonObject> onDisk = new RegistryFile(registry).read(); // parses, or this throws Corrupt
    assertTrue(onDisk.keySet().containsAll(acked), "every acknowledged change is in the file: missing "
        + acked.stream().filter(id -> !onDisk.containsKey(id)).toList());
    assertEquals(List.of(), temporaries(dir), "the writer finished before the hub exited");

    Hub again = start(config(registry), "burst-again");
    for (String id : acked) assertEquals(200, send(again, "GET", "/api/devices/" + id, null).statusCode(), id);
  }
}

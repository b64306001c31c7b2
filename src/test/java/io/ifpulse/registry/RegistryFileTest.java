package io.ifpulse.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.testing.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The registry file on its own: durable writes, corrupt files kept and refused, failed writes refused. */
@Unit
class RegistryFileTest {
  @TempDir Path dir;

  private static JsonObject device(String id) {
    return new JsonObject().put("id", id).put("host", "127.0.0.1").put("port", 161).put("credentials", "lab");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private List<String> temporaries() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }

  @Test
  void aWrittenOverlayReadsBackAndLeavesNoTemporary() throws Exception {
    RegistryFile f = new RegistryFile(dir.resolve("devices.json"));
    f.write(Map.of("a", device("a"), "gone", OverlayStore.deleted()));
    Map<String, JsonObject> back = new RegistryFile(dir.resolve("devices.json")).read();
    assertEquals(device("a"), back.get("a"));
    assertTrue(OverlayStore.isDeleted(back.get("gone")));
    assertEquals(List.of(), temporaries());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{\"devices\": {\"a\": {\"id\"", "not json", "[1,2]", "{\"devices\": [1]}", "{\"devices\": {\"a\": 7}}", "{}"})
  void aCorruptFileIsRefusedNamingItAndACopyIsKept(String content) throws Exception {
    Path file = dir.resolve("devices.json");
    Files.writeString(file, content);
    RegistryFile.Corrupt e = assertThrows(RegistryFile.Corrupt.class, () -> new RegistryFile(file).read());
    Path bak = dir.resolve("devices.json.bak");
    assertEquals(bak, e.backup());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(bak.toString()), e.getMessage());
    assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(bak), "the copy is the bad file");
    assertEquals(content, Files.readString(file), "the file itself is left for the operator");
  }

  @Test
  void theSameBadFileKeepsOneCopyAndAnotherBadFileGetsItsOwn() throws Exception {
    Path file = dir.resolve("devices.json");
    Files.writeString(file, "{broken");
    assertThrows(RegistryFile.Corrupt.class, () -> new RegistryFile(file).read());
    RegistryFile.Corrupt again = assertThrows(RegistryFile.Corrupt.class, () -> new RegistryFile(file).read());
    assertEquals(dir.resolve("devices.json.bak"), again.backup());
    Files.writeString(file, "{broken differently");
    RegistryFile.Corrupt other = assertThrows(RegistryFile.Corrupt.class, () -> new RegistryFile(file).read());
    assertEquals(dir.resolve("devices.json.1.bak"), other.backup());
    assertEquals("{broken", Files.readString(dir.resolve("devices.json.bak")), "the first copy is not overwritten");
  }

  @Test
  void aKilledWritersTemporariesAreRemovedAtStartButNotAnotherFilesOnes() throws Exception {
    Files.writeString(dir.resolve(".devices.json.123.tmp"), "{\"devi");
    Files.writeString(dir.resolve(".node2.json.456.tmp"), "{\"devi");
    new RegistryFile(dir.resolve("devices.json")).read();
    assertEquals(List.of(".node2.json.456.tmp"), temporaries());
  }

  @Test
  void aChangeIsAcknowledgedOnlyOnceTheFileHoldsIt() throws Exception {
    Path file = dir.resolve("devices.json");
    LocalOverlayStore store = new LocalOverlayStore(file);
    List<String> heard = new CopyOnWriteArrayList<>();
    store.onChange((id, entry) -> heard.add(id));
    List<Future<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 200; i++) acks.add(store.put("d" + i, device("d" + i)));
    for (int i = 0; i < 200; i++) {
      await(acks.get(i));
      // Acknowledged: on the disk already, whatever comes after.
      assertTrue(Files.readString(file).contains("\"d" + i + "\""), "d" + i + " acknowledged and in the file");
    }
    assertEquals(200, new RegistryFile(file).read().size());
    assertEquals(200, heard.size());
    store.close();
  }

  @Test
  void aFailedWriteFailsTheChangeAndChangesNothing() throws Exception {
    Path sub = dir.resolve("registry");
    Path file = sub.resolve("devices.json");
    LocalOverlayStore store = new LocalOverlayStore(file);
    await(store.put("kept", device("kept")));
    String before = Files.readString(file);
    List<String> heard = new CopyOnWriteArrayList<>();
    store.onChange((id, entry) -> heard.add(id));
    // The directory becomes unwritable for anyone, root included: its temporaries cannot be made.
    Files.delete(file);
    Files.delete(sub);
    Files.writeString(sub, "a file where the directory was");

    Exception e = assertThrows(Exception.class, () -> await(store.put("refused", device("refused"))));
    assertInstanceOf(RegistryUnavailable.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("nothing was changed"), e.getCause().getMessage());
    assertFalse(store.snapshot().containsKey("refused"), "not in memory");
    assertEquals(List.of(), heard, "nobody told of a change that was not made");
    assertThrows(Exception.class, () -> await(store.put("kept", OverlayStore.deleted())));
    assertTrue(store.snapshot().containsKey("kept") && !OverlayStore.isDeleted(store.snapshot().get("kept")));

    // The disk is back: the next change is written with everything before it, nothing of the refused ones.
    Files.delete(sub);
    await(store.put("later", device("later")));
    Map<String, JsonObject> read = new RegistryFile(file).read();
    assertEquals(List.of("kept", "later"), new ArrayList<>(read.keySet()));
    assertTrue(before.contains("\"kept\""));
    store.close();
  }

  @Test
  void aClosedStoreHasWrittenEverythingItAcceptedAndRefusesMore() throws Exception {
    Path file = dir.resolve("devices.json");
    LocalOverlayStore store = new LocalOverlayStore(file);
    List<Future<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 100; i++) acks.add(store.put("d" + i, device("d" + i)));
    store.close();
    for (Future<Void> f : acks) assertTrue(f.succeeded(), "drained before close returned");
    assertEquals(100, new RegistryFile(file).read().size());
    Exception e = assertThrows(Exception.class, () -> await(store.put("late", device("late"))));
    assertInstanceOf(RegistryUnavailable.class, e.getCause());
  }
}

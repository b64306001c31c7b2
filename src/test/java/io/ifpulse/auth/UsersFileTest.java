package io.ifpulse.auth;

import io.ifpulse.testing.Unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ifpulse.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class UsersFileTest {
  /** bcrypt of "correct horse battery" at cost 10. */
  static final String HASH10 = "$2a$10$M4ZMyrPzPDA.TBKOFV/p6eQJqAw45.rOaTeqpqTN8r6lZzF0yOhaa";
  /** sha256 of "abc". */
  static final String TOKEN_HASH = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  /** Text that must never appear in a message about the file. */
  private static final List<String> NEVER_SHOWN = List.of("$2a$", "M4ZMyrPzPDA", "ba7816bf", "BA7816BF", "hunter2");

  @TempDir
  Path dir;

  private static String withHashes(String json) {
    return json.replace("HASH10", HASH10).replace("HASH04", "$2a$04$" + HASH10.substring(7))
        .replace("HASH21", "$2a$21$" + HASH10.substring(7)).replace("TOKENHASH", TOKEN_HASH);
  }

  private static void assertNothingSecret(String message) {
    for (String s : NEVER_SHOWN) assertFalse(message.contains(s), "\"" + s + "\" in: " + message);
  }

  /** Each broken file names the field and the value, and never shows a hash. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level key   | {"userz":{}}                                                                                | userz = "(value)": is not a known setting
      users not an object     | {"users":["alice"]}                                                                          | users = "(not an object)": must be an object
      tokens not an object    | {"tokens":"sha256:0123"}                                                                     | tokens = "(not an object)": must be an object
      bad name                | {"users":{"al ice":{"role":"viewer","passwordHash":"HASH10"}}}                              | users = "al ice": is not a valid name
      name starting with dot  | {"users":{".alice":{"role":"viewer","passwordHash":"HASH10"}}}                              | users = ".alice": is not a valid name
      entry not an object     | {"users":{"alice":"HASH10"}}                                                                | users.alice = "(not an object)": must be an object
      bad role                | {"users":{"alice":{"role":"admin","passwordHash":"HASH10"}}}                                | users.alice.role = "admin": must be viewer or operator
      role in capitals        | {"users":{"alice":{"role":"Operator","passwordHash":"HASH10"}}}                             | users.alice.role = "Operator"
      missing role            | {"users":{"alice":{"passwordHash":"HASH10"}}}                                               | users.alice.role = (missing)
      unknown key             | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","password":"hunter2hunter2"}}}   | users.alice.password = "(value)": is not a known setting
      missing password hash   | {"users":{"alice":{"role":"viewer"}}}                                                       | users.alice.passwordHash = (missing)
      password in the clear   | {"users":{"alice":{"role":"viewer","passwordHash":"hunter2hunter2"}}}                       | users.alice.passwordHash = <secret>: must be a bcrypt hash
      token hash as password  | {"users":{"alice":{"role":"viewer","passwordHash":"TOKENHASH"}}}                            | users.alice.passwordHash = <secret>: must be a bcrypt hash
      bcrypt cost 4           | {"users":{"alice":{"role":"viewer","passwordHash":"HASH04"}}}                               | users.alice.passwordHash = <secret>: must be a bcrypt hash of cost 10-20
      bcrypt cost 21          | {"users":{"alice":{"role":"viewer","passwordHash":"HASH21"}}}                               | users.alice.passwordHash = <secret>
      cut bcrypt hash         | {"users":{"alice":{"role":"viewer","passwordHash":"$2a$10$M4ZMyrPzPDA"}}}                   | users.alice.passwordHash = <secret>
      hash not a string       | {"users":{"alice":{"role":"viewer","passwordHash":42}}}                                     | users.alice.passwordHash = <secret>
      token hash too short    | {"tokens":{"prom":{"role":"viewer","tokenHash":"sha256:ba7816bf"}}}                          | tokens.prom.tokenHash = <secret>: must be sha256:<64 hex digits>
      token hash in capitals  | {"tokens":{"prom":{"role":"viewer","tokenHash":"SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"}}} | tokens.prom.tokenHash = <secret>
      bcrypt as token hash    | {"tokens":{"prom":{"role":"viewer","tokenHash":"HASH10"}}}                                  | tokens.prom.tokenHash = <secret>
      token given a password  | {"tokens":{"prom":{"role":"viewer","passwordHash":"HASH10"}}}                               | tokens.prom.passwordHash = "(value)": is not a known setting
      bad token name          | {"tokens":{"prom etheus":{"role":"viewer","tokenHash":"TOKENHASH"}}}                        | tokens = "prom etheus": is not a valid name
      devices not a list      | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","devices":"cust-a-*"}}}          | users.alice.devices = "cust-a-*": must be a list
      devices an object       | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","devices":{"a":1}}}}             | users.alice.devices = "{...}": must be a list
      device pattern bad      | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","devices":["cust a"]}}}          | users.alice.devices = "cust a": must be a list of device-id patterns
      device pattern a number | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","devices":[7]}}}                 | users.alice.devices = 7
      tags not a list         | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","tags":"red"}}}                  | users.alice.tags = "red": must be a list of tags
      tag with a glob         | {"users":{"alice":{"role":"viewer","passwordHash":"HASH10","tags":["red*"]}}}               | users.alice.tags = "red*"
      token devices not list  | {"tokens":{"prom":{"role":"viewer","tokenHash":"TOKENHASH","devices":"*"}}}                 | tokens.prom.devices = "*"
      """)
  void brokenFileNamesFieldAndValue(String name, String json, String expectedStart) {
    ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.parse(new JsonObject(withHashes(json))), name);
    assertTrue(e.getMessage().startsWith(expectedStart), name + ": got \"" + e.getMessage() + "\"");
    assertNothingSecret(e.getMessage());
  }

  @Test
  void goodFileParses() {
    UsersFile f = UsersFile.parse(new JsonObject(withHashes("""
        {"users":{"alice":{"role":"operator","passwordHash":"HASH10","devices":["cust-a-*"],"tags":["red"]},
                  "bob@example.net":{"role":"viewer","passwordHash":"HASH10"}},
         "tokens":{"prometheus":{"role":"viewer","tokenHash":"TOKENHASH"}}}""")));
    assertEquals(new UsersFile.Entry("alice", Role.OPERATOR, HASH10, new DeviceScope(List.of("cust-a-*"), List.of("red"))),
        f.users().get("alice"));
    assertEquals(DeviceScope.ALL, f.users().get("bob@example.net").scope());
    assertEquals(new UsersFile.Entry("prometheus", Role.VIEWER, TOKEN_HASH, DeviceScope.ALL), f.tokens().get("prometheus"));
    assertNothingSecret(f.toString());
  }

  @Test
  void missingFileIsNoFile() {
    assertNull(UsersFile.read(dir.resolve("users.json")));
  }

  @Test
  void brokenFileOnDiskNamesTheFile() throws Exception {
    Path file = dir.resolve("users.json");
    Files.writeString(file, withHashes("{\"users\":{\"alice\":{\"role\":\"admin\",\"passwordHash\":\"HASH10\"}}}"));
    ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.read(file));
    assertTrue(e.getMessage().startsWith("users file " + file + ": users.alice.role = \"admin\""), e.getMessage());
    assertNothingSecret(e.getMessage());
  }

  @Test
  void fileThatIsNotJsonShowsNoneOfItsText() throws Exception {
    Path file = dir.resolve("users.json");
    Files.writeString(file, withHashes("{\"users\":{\"alice\":{\"role\":\"viewer\",\"passwordHash\":\"HASH10\"}"));
    ConfigException e = assertThrows(ConfigException.class, () -> UsersFile.read(file));
    assertTrue(e.getMessage().startsWith("users file = \"" + file + "\": is not valid JSON"), e.getMessage());
    assertNothingSecret(e.getMessage());
  }

  @Test
  void writeThenReadGivesTheSameUsers() throws Exception {
    UsersFile f = UsersFile.EMPTY
        .withUser(new UsersFile.Entry("alice", Role.OPERATOR, HASH10, new DeviceScope(List.of("cust-a-*", "core-?"), List.of("red"))))
        .withUser(new UsersFile.Entry("bob", Role.VIEWER, HASH10, DeviceScope.ALL))
        .withToken(new UsersFile.Entry("prometheus", Role.VIEWER, TOKEN_HASH, new DeviceScope(List.of(), List.of("site:ams"))));
    Path file = dir.resolve("sub").resolve("users.json");
    f.write(file);
    assertEquals(f, UsersFile.read(file));
  }

  @Test
  void writtenFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("users.json");
    // Even over a file anyone could read: the new one replaces it whole.
    Files.writeString(file, "{}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    UsersFile.EMPTY.withUser(new UsersFile.Entry("alice", Role.VIEWER, HASH10, DeviceScope.ALL)).write(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList(), "no temporary file is left beside it");
    }
  }
}

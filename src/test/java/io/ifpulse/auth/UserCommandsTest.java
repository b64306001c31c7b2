package io.ifpulse.auth;

import io.ifpulse.testing.Unit;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class UserCommandsTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static String[] args(String line) {
    return line == null || line.isBlank() ? new String[0] : line.trim().split("\\s+");
  }

  private int run(String line, Path file) {
    return UserCommands.run(UserCommands.parse(args(line)), file, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
  }

  /** Columns: arguments, then the command they make (scope as the listing describes it; file - for the config's). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --add-user alice --role operator                                | --add-user    | alice      | operator | all devices                     | -
      --add-user alice --role viewer --devices cust-a-* core-? --tags red | --add-user | alice      | viewer   | devices cust-a-* core-?, tags red | -
      --role viewer --add-user bob@example.net                        | --add-user    | bob@example.net | viewer | all devices                 | -
      --add-token prometheus --role viewer --tags site:ams            | --add-token   | prometheus | viewer   | tags site:ams                   | -
      --add-token prometheus --role viewer --users-file /tmp/u.json   | --add-token   | prometheus | viewer   | all devices                     | /tmp/u.json
      --remove-user alice                                             | --remove-user | alice      |          | all devices                     | -
      --remove-token prometheus                                       | --remove-token | prometheus |         | all devices                     | -
      --list-users                                                    | --list-users  |            |          | all devices                     | -
      --config conf/other.json --list-users --users-file u.json       | --list-users  |            |          | all devices                     | u.json
      """)
  void goodArguments(String line, String verb, String name, String role, String scope, String file) {
    UserCommands.Command c = UserCommands.parse(args(line));
    assertEquals(verb, c.verb());
    assertEquals(name, c.name());
    assertEquals(role, c.role() == null ? null : c.role().word());
    assertEquals(scope, c.scope().describe());
    assertEquals("-".equals(file) ? null : Path.of(file), c.usersFile());
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                                      | no command
      --add-user alice                                        | --add-user needs --role viewer or --role operator
      --add-user alice --role admin                           | --role needs viewer or operator, not admin
      --add-user alice --role                                 | --role needs viewer or operator
      --add-user alice --role --devices x                     | --role needs viewer or operator
      --add-user                                              | --add-user needs a name
      --add-user --role viewer                                | --add-user needs a name
      --add-user alice --role viewer --devices                | --devices needs at least one value
      --add-user alice --role viewer --devices --tags red     | --devices needs at least one value
      --add-user alice --role viewer --tags                   | --tags needs at least one value
      --add-user al!ce --role viewer                          | name "al!ce" must be
      --add-user -alice --role viewer                         | name "-alice" must be
      --add-user alice --role viewer --devices cust/a         | --devices cust/a: a device-id pattern
      --add-user alice --role viewer --tags red*              | --tags red*:
      --add-user alice --remove-user bob                      | one of
      --list-users --add-token t --role viewer                | one of
      --remove-user alice --role viewer                       | --role, --devices and --tags go with --add-user or --add-token only
      --remove-token t --devices x                            | --role, --devices and --tags go with
      --list-users --tags red                                 | --role, --devices and --tags go with
      --list-users --users-file                               | --users-file needs a file
      --add-user alice --role viewer --password hunter2       | unknown argument --password
      """)
  void badArguments(String line, String expectedStart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserCommands.parse(args(line)));
    assertTrue(e.getMessage().startsWith(expectedStart), "got \"" + e.getMessage() + "\"");
  }

  @Test
  void addTokenPrintsTheTokenOnceAndKeepsOnlyItsHash() throws Exception {
    Path file = dir.resolve("users.json");
    assertEquals(0, run("--add-token prometheus --role viewer --devices cust-a-*", file));
    List<String> printed = out.toString(UTF_8).lines().toList();
    assertEquals(1, printed.size(), "only the token on standard output: " + printed);
    String token = printed.get(0);
    assertTrue(Passwords.looksLikeToken(token), token);
    assertFalse(err.toString(UTF_8).contains(token), "the token is not also in the log");
    assertFalse(Files.readString(file).contains(token), "the file holds no token");
    UsersFile.Entry e = UsersFile.read(file).tokens().get("prometheus");
    assertEquals(new UsersFile.Entry("prometheus", Role.VIEWER, Passwords.tokenHash(token), new DeviceScope(List.of("cust-a-*"), List.of())), e);
  }

  @Test
  void addUserReadsThePasswordFromStandardInput() throws Exception {
    Path file = dir.resolve("users.json");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("correct horse battery\n".getBytes(UTF_8)));
      assertEquals(0, run("--add-user alice --role operator", file));
    } finally {
      System.setIn(stdin);
    }
    UsersFile.Entry e = UsersFile.read(file).users().get("alice");
    assertEquals(Role.OPERATOR, e.role());
    assertTrue(Passwords.check("correct horse battery", e.hash()));
    assertFalse(err.toString(UTF_8).contains("correct horse battery"));
    assertEquals("", out.toString(UTF_8));
  }

  @Test
  void addUserRefusesAShortPasswordAndChangesNothing() throws Exception {
    Path file = dir.resolve("users.json");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("hunter2\n".getBytes(UTF_8)));
      assertEquals(2, run("--add-user alice --role operator", file));
    } finally {
      System.setIn(stdin);
    }
    assertNull(UsersFile.read(file));
    assertTrue(err.toString(UTF_8).contains("at least 10 characters"), err.toString(UTF_8));
  }

  @Test
  void removeUserRemovesOnlyThatUser() throws Exception {
    Path file = dir.resolve("users.json");
    UsersFile.EMPTY.withUser(new UsersFile.Entry("alice", Role.VIEWER, UsersFileTest.HASH10, DeviceScope.ALL))
        .withUser(new UsersFile.Entry("bob", Role.VIEWER, UsersFileTest.HASH10, DeviceScope.ALL)).write(file);
    assertEquals(0, run("--remove-user alice", file));
    assertEquals(List.of("bob"), List.copyOf(UsersFile.read(file).users().keySet()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --remove-user carol
      --remove-token carol
      """)
  void removingWhatIsNotThereFails(String line) throws Exception {
    Path file = dir.resolve("users.json");
    UsersFile before = UsersFile.EMPTY.withUser(new UsersFile.Entry("alice", Role.VIEWER, UsersFileTest.HASH10, DeviceScope.ALL));
    before.write(file);
    assertEquals(1, run(line, file));
    assertEquals(before, UsersFile.read(file));
    assertTrue(err.toString(UTF_8).contains("carol"), err.toString(UTF_8));
  }

  @Test
  void brokenUsersFileIsBadInput() throws Exception {
    Path file = dir.resolve("users.json");
    Files.writeString(file, "{\"users\":{\"alice\":{\"role\":\"admin\",\"passwordHash\":\"" + UsersFileTest.HASH10 + "\"}}}");
    assertEquals(2, run("--list-users", file));
    assertTrue(err.toString(UTF_8).contains("users.alice.role = \"admin\""), err.toString(UTF_8));
    assertFalse(err.toString(UTF_8).contains(UsersFileTest.HASH10));
  }

  @Test
  void listUsersNeverPrintsAHash() throws Exception {
    Path file = dir.resolve("users.json");
    UsersFile.EMPTY.withUser(new UsersFile.Entry("alice", Role.OPERATOR, UsersFileTest.HASH10, new DeviceScope(List.of("cust-a-*"), List.of())))
        .withToken(new UsersFile.Entry("prometheus", Role.VIEWER, UsersFileTest.TOKEN_HASH, DeviceScope.ALL)).write(file);
    assertEquals(0, run("--list-users", file));
    String listed = out.toString(UTF_8) + err.toString(UTF_8);
    assertTrue(listed.contains("alice (operator, devices cust-a-*)"), listed);
    assertTrue(listed.contains("prometheus (viewer, all devices)"), listed);
    assertFalse(listed.contains("$2a$") || listed.contains("sha256:") || listed.contains("M4ZMyrPzPDA"), listed);
  }

  @Test
  void listUsersOfNoFileSaysSo() {
    Path file = dir.resolve("users.json");
    assertEquals(0, run("--list-users", file));
    assertTrue(out.toString(UTF_8).contains("(does not exist)"), out.toString(UTF_8));
    assertFalse(Files.exists(file));
  }
}

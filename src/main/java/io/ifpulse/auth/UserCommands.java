package io.ifpulse.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The users file from the command line ({@code scripts/run.sh --add-user ...}):
 *
 * <pre>
 *   --add-user NAME --role viewer|operator [--devices PATTERN...] [--tags TAG...]
 *   --add-token NAME --role viewer|operator [--devices PATTERN...] [--tags TAG...]
 *   --remove-user NAME | --remove-token NAME | --list-users
 *   [--users-file FILE]   (else web.auth.usersFile of the config)
 * </pre>
 *
 * A password is asked twice without echo on a terminal, or read as one line from standard input
 * (for automation). A token is made here and printed once on standard output; only its hash is
 * kept. A running hub sees the change within a few seconds.
 */
public final class UserCommands {
  private static final Set<String> COMMANDS = Set.of("--add-user", "--add-token", "--remove-user", "--remove-token", "--list-users");

  /** A parsed command; {@code usersFile} is null when the config names it. */
  public record Command(String verb, String name, Role role, DeviceScope scope, Path usersFile) {}

  private UserCommands() {}

  public static boolean isCommand(String[] args) {
    for (String a : args) if (COMMANDS.contains(a)) return true;
    return false;
  }

  /** Parses the arguments; {@code --config FILE} is left to the caller. */
  public static Command parse(String[] args) {
    String verb = null;
    String name = null;
    Role role = null;
    Path file = null;
    List<String> devices = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (COMMANDS.contains(a)) {
        if (verb != null) throw new IllegalArgumentException("one of " + COMMANDS + " at a time");
        verb = a;
        if (!"--list-users".equals(a)) name = value(args, ++i, a + " needs a name");
      } else if ("--role".equals(a)) {
        String r = value(args, ++i, "--role needs viewer or operator");
        role = Role.parse(r);
        if (role == null) throw new IllegalArgumentException("--role needs viewer or operator, not " + r);
      } else if ("--devices".equals(a) || "--tags".equals(a)) {
        List<String> into = "--devices".equals(a) ? devices : tags;
        while (i + 1 < args.length && !args[i + 1].startsWith("--")) into.add(args[++i]);
        if (into.isEmpty()) throw new IllegalArgumentException(a + " needs at least one value");
      } else if ("--users-file".equals(a)) {
        file = Path.of(value(args, ++i, "--users-file needs a file"));
      } else if ("--config".equals(a)) {
        i++;
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (verb == null) throw new IllegalArgumentException("no command");
    if (name != null && !UsersFile.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name \"" + name + "\" must be 1-64 letters, digits, '_', '.', '@' or '-'");
    }
    boolean adds = verb.startsWith("--add-");
    if (adds && role == null) throw new IllegalArgumentException(verb + " needs --role viewer or --role operator");
    if (!adds && (role != null || !devices.isEmpty() || !tags.isEmpty())) {
      throw new IllegalArgumentException("--role, --devices and --tags go with --add-user or --add-token only");
    }
    for (String d : devices) {
      if (!DeviceScope.PATTERN.matcher(d).matches()) throw new IllegalArgumentException("--devices " + d + ": a device-id pattern like cust-a-*");
    }
    for (String t : tags) {
      if (!DeviceScope.TAG.matcher(t).matches()) throw new IllegalArgumentException("--tags " + t + ": letters, digits, '_', '.', ':', '-'");
    }
    return new Command(verb, name, role, new DeviceScope(devices, tags), file);
  }

  private static String value(String[] args, int i, String problem) {
    if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(problem);
    return args[i];
  }

  /** Runs the command against {@code file}; returns the exit code (0 done, 1 failed, 2 bad input). */
  public static int run(Command c, Path file, PrintStream out, PrintStream err) {
    try {
      UsersFile current = UsersFile.read(file);
      UsersFile f = current == null ? UsersFile.EMPTY : current;
      switch (c.verb()) {
        case "--list-users" -> {
          out.println("users file " + file + (current == null ? " (does not exist)" : ""));
          f.users().values().stream().sorted(java.util.Comparator.comparing(UsersFile.Entry::name)).forEach(e -> out.println("  user  " + e));
          f.tokens().values().stream().sorted(java.util.Comparator.comparing(UsersFile.Entry::name)).forEach(e -> out.println("  token " + e));
          return 0;
        }
        case "--add-user" -> {
          String password = readPassword(c.name(), err);
          if (password == null) return 2;
          boolean existed = f.users().containsKey(c.name());
          UsersFile.Entry e = new UsersFile.Entry(c.name(), c.role(), Passwords.hash(password, Passwords.COST), c.scope());
          f.withUser(e).write(file);
          err.println("ifpulse: user " + e + (existed ? " updated in " : " added to ") + file);
          return 0;
        }
        case "--add-token" -> {
          String token = Passwords.newToken();
          boolean existed = f.tokens().containsKey(c.name());
          UsersFile.Entry e = new UsersFile.Entry(c.name(), c.role(), Passwords.tokenHash(token), c.scope());
          f.withToken(e).write(file);
          err.println("ifpulse: token " + e + (existed ? " replaced in " : " added to ") + file
              + "; it is printed once, below: keep it now (send it as Authorization: Bearer <token>)");
          out.println(token);
          return 0;
        }
        case "--remove-user", "--remove-token" -> {
          boolean user = "--remove-user".equals(c.verb());
          if (!(user ? f.users() : f.tokens()).containsKey(c.name())) {
            err.println("ifpulse: no " + (user ? "user " : "token ") + c.name() + " in " + file);
            return 1;
          }
          (user ? f.withoutUser(c.name()) : f.withoutToken(c.name())).write(file);
          err.println("ifpulse: " + (user ? "user " : "token ") + c.name() + " removed from " + file + "; its sessions end at once");
          return 0;
        }
        default -> throw new IllegalStateException(c.verb());
      }
    } catch (io.ifpulse.config.ConfigException e) {
      err.println("ifpulse: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("ifpulse: cannot write " + file + ": " + e.getMessage());
      return 1;
    }
  }

  /** Twice without echo on a terminal; one line of standard input otherwise. Null when refused. */
  private static String readPassword(String user, PrintStream err) throws IOException {
    Console console = System.console();
    String password;
    if (console != null) {
      char[] a = console.readPassword("Password for %s: ", user);
      char[] b = console.readPassword("Again: ");
      if (a == null || b == null || !java.util.Arrays.equals(a, b)) {
        err.println("ifpulse: the passwords differ; nothing changed");
        return null;
      }
      password = new String(a);
    } else {
      password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    String problem = Passwords.problem(password);
    if (problem != null) {
      err.println("ifpulse: the password " + problem + "; nothing changed");
      return null;
    }
    return password;
  }
}

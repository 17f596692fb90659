package org.ifpp.keymaker.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/softhsm-token.sh, run for real: the token it makes opens with the PIN it was given, and
 * no PIN (the user's or the SO's) is an argument of any program it starts. Every PKCS#11 tool it
 * may call is reached through a shim on the PATH that records its arguments, then runs the real
 * tool.
 */
@Timeout(120)
class SoftHsmTokenScriptIT {

  private static final Pattern PIN_ARGUMENT = Pattern.compile("--(?:so-|new-)?pin[ =](\\S+)");

  @TempDir Path dir;
  private Path argv;
  private Path shims;

  @BeforeEach
  void shims() throws Exception {
    argv = dir.resolve("argv.log");
    shims = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("pkcs11-tool", "softhsm2-util")) {
      String real = run(Map.of(), "sh", "-c", "command -v " + tool).out().strip();
      assertThat(real).as(tool + " installed (scripts/ensure-deps.sh)").isNotEmpty();
      Path shim = shims.resolve(tool);
      Files.writeString(
          shim,
          "#!/bin/sh\nprintf '%s\\n' \"$0 $*\" >>'" + argv + "'\nexec '" + real + "' \"$@\"\n");
      Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void makesATokenItsPinOpensWithoutAnyPinOnACommandLine() throws Exception {
    String pin = "it-" + UUID.randomUUID();
    Result made = script(Map.of("TOKEN_PIN", pin), "--pin-env", "TOKEN_PIN");
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(made.err()).contains("token 'script-it' created");
    Path conf = Path.of(made.out().strip());
    assertThat(conf).exists();

    String calls = Files.readString(argv);
    assertThat(calls).contains("--init-token").contains("--init-pin").doesNotContain(pin);
    Matcher m = PIN_ARGUMENT.matcher(calls);
    List<String> pinArguments = new ArrayList<>();
    while (m.find()) {
      pinArguments.add(m.group(1));
    }
    assertThat(pinArguments).isNotEmpty().allSatisfy(a -> assertThat(a).startsWith("env:"));

    assertThat(login(conf, pin)).as("login with the PIN").isZero();
    assertThat(login(conf, pin + "x")).as("login with a wrong PIN").isNotZero();

    Result again = script(Map.of("TOKEN_PIN", "another-pin"), "--pin-env", "TOKEN_PIN");
    assertThat(again.code()).isZero();
    assertThat(again.err()).contains("already exists");
    assertThat(login(conf, pin)).as("the existing token kept its PIN").isZero();
  }

  @Test
  void readsThePinFromAFile() throws Exception {
    String pin = "file-" + UUID.randomUUID();
    Path file = dir.resolve("pin");
    Files.writeString(file, pin + "\n");
    Result made = script(Map.of(), "--pin-file", file.toString());
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(Files.readString(argv)).doesNotContain(pin);
    assertThat(login(Path.of(made.out().strip()), pin)).isZero();
  }

  @Test
  void refusesWithoutAPinAndMakesNothing() throws Exception {
    Result refused = script(Map.of(), "--pin-env", "NOT_SET_ANYWHERE");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("a user PIN is required");
    assertThat(dir.resolve("hsm")).doesNotExist();
  }

  private Result script(Map<String, String> env, String... pinOptions) throws Exception {
    Path script =
        Path.of(System.getProperty("ifpp.test-data.dir"), "..", "scripts", "softhsm-token.sh");
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                script.toString(),
                "--dir",
                dir.resolve("hsm").toString(),
                "--label",
                "script-it"));
    command.addAll(List.of(pinOptions));
    return run(env, command.toArray(String[]::new));
  }

  /** pkcs11-tool's exit code for a user login to the token, the PIN in its environment. */
  private int login(Path conf, String pin) throws Exception {
    return run(
            Map.of("SOFTHSM2_CONF", conf.toString(), "LOGIN_PIN", pin),
            "pkcs11-tool",
            "--module",
            "/usr/lib/softhsm/libsofthsm2.so",
            "--token-label",
            "script-it",
            "--login",
            "--pin",
            "env:LOGIN_PIN",
            "--list-objects")
        .code();
  }

  private record Result(int code, String out, String err) {}

  private Result run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", shims + ":" + System.getenv("PATH"));
    pb.environment().remove("SOFTHSM2_CONF");
    pb.environment().putAll(env);
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(err));
  }
}

package org.ifpp.demo.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's settings as config/&lt;service&gt;.env describes them once for every launcher
 * (scripts/demo.sh, docker-compose.yml, these tests): its environment variables, the JVM options
 * every launch needs ({@code JAVA_EXTRA_OPTS}) and its JIT settings for a run of minutes ({@code
 * SHORT_RUN_JAVA_OPTS}, paths from the project root).
 */
record ServiceConfig(
    Path root,
    Map<String, String> environment,
    List<String> javaExtraOptions,
    List<String> shortRun) {

  static ServiceConfig read(Path root, String service) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> extra = new ArrayList<>();
    List<String> shortRun = new ArrayList<>();
    for (String line : Files.readAllLines(root.resolve("config/" + service + ".env"))) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      String key = l.substring(0, eq);
      String value = l.substring(eq + 1);
      switch (key) {
        case "JAVA_EXTRA_OPTS" -> extra.addAll(words(value));
        case "SHORT_RUN_JAVA_OPTS" -> shortRun.addAll(words(value));
        default -> env.put(key, value);
      }
    }
    return new ServiceConfig(root, Map.copyOf(env), List.copyOf(extra), List.copyOf(shortRun));
  }

  /** {@code java <options> -jar <jar> <args>}, run from the project root. */
  List<String> command(Path jar, String... args) {
    List<String> c = new ArrayList<>(List.of("java", "-XX:+UseParallelGC"));
    c.addAll(javaExtraOptions);
    shortRun.forEach(
        o ->
            c.add(
                o.startsWith("-XX:CompilerDirectivesFile=")
                    ? "-XX:CompilerDirectivesFile="
                        + root.resolve(o.substring("-XX:CompilerDirectivesFile=".length()))
                    : o));
    c.add("-jar");
    c.add(jar.toString());
    c.addAll(Arrays.asList(args));
    return c;
  }

  private static List<String> words(String value) {
    return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
  }
}

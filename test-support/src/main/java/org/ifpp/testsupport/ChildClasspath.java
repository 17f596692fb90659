package org.ifpp.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The class path of a service started in a child JVM by a test: this JVM's class path without test
 * classes (main classes and dependencies only), so the child runs the application as deployed and a
 * test can kill it with SIGKILL as a crash would.
 */
public final class ChildClasspath {

  private ChildClasspath() {}

  /** This JVM's class path without test classes (resolving a surefire manifest-only jar). */
  public static String main() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.contains("surefirebooter") && e.endsWith(".jar")) {
        try (JarFile jar = new JarFile(e)) {
          String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
          for (String url : cp.trim().split("\\s+")) {
            entries.add(Path.of(URI.create(url)).toString());
          }
        }
      } else {
        entries.add(e);
      }
    }
    return entries.stream()
        .filter(e -> !e.contains("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}

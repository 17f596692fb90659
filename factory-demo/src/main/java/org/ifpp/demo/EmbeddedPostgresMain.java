package org.ifpp.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's PostgreSQL without Docker or a system install: zonky's embedded PostgreSQL binaries on
 * a given (or free) port, with one database per service. Prints {@code PORT=<n>} once ready,
 * optionally writes it to a file, and runs until killed (the shutdown hook stops the server).
 *
 * <p>Usage: {@code EmbeddedPostgresMain [--port N] [--data-dir DIR] [--port-file FILE] [--set
 * name=value]... [db...]}; the databases default to {@code keymaker broker}. User {@code postgres},
 * password {@code postgres}, listening on localhost only: a throwaway server for a demo.
 *
 * <p>Server settings beyond zonky's: {@link #SETTINGS}, each replaced by a {@code --set} of the
 * same name. The demo's working set (about 250 MB of packages at the broker and as much again in
 * the Key Maker's profiles and outbox for 10,000 devices) does not fit PostgreSQL's default 128 MB
 * of shared buffers, and its WAL (each package is written twice) would start a checkpoint, with its
 * full-page images, in the middle of the run at the default 1 GB.
 */
public final class EmbeddedPostgresMain {

  private EmbeddedPostgresMain() {}

  /** The demo's server settings (docs/demo.md). */
  static final Map<String, String> SETTINGS =
      Map.of(
          "listen_addresses", "localhost",
          "max_connections", "200",
          "shared_buffers", "512MB",
          "max_wal_size", "4GB");

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path dataDir = null;
    Path portFile = null;
    List<String> databases = new java.util.ArrayList<>();
    Map<String, String> settings = new TreeMap<>(SETTINGS);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--port-file" -> portFile = Path.of(args[++i]);
        case "--set" -> {
          String[] kv = args[++i].split("=", 2);
          if (kv.length != 2 || kv[0].isBlank()) {
            throw new IllegalArgumentException("--set name=value, not " + args[i]);
          }
          settings.put(kv[0], kv[1]);
        }
        default -> databases.add(args[i]);
      }
    }
    if (databases.isEmpty()) {
      databases = List.of("keymaker", "broker");
    }
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    settings.forEach(builder::setServerConfig);
    if (port > 0) {
      builder.setPort(port);
    }
    if (dataDir != null) {
      Files.createDirectories(dataDir);
      builder.setDataDirectory(dataDir).setCleanDataDirectory(true);
    }
    EmbeddedPostgres pg = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (IOException e) {
                    System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
                  }
                  stopped.countDown();
                }));
    createDatabases(pg, databases);
    if (portFile != null) {
      Files.writeString(portFile, Integer.toString(pg.getPort()));
    }
    System.out.println("PORT=" + pg.getPort());
    System.out.flush();
    stopped.await();
  }

  private static void createDatabases(EmbeddedPostgres pg, List<String> names) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      for (String name : names) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
          throw new IllegalArgumentException("database name: " + name);
        }
        st.execute("CREATE DATABASE " + name);
      }
    }
  }
}

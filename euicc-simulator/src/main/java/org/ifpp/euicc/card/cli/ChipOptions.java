package org.ifpp.euicc.card.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.euicc.card.VpcdClient;

/** The command line of {@code ifpp chip}. */
record ChipOptions(
    Path stateDir,
    boolean list,
    String eid,
    String vpcdTarget,
    boolean stdio,
    List<Path> trustedCis,
    String notificationAddress) {

  static ChipOptions parse(String[] args) {
    Path stateDir = null;
    boolean list = false;
    String eid = null;
    String vpcd = null;
    boolean stdio = false;
    List<Path> cis = new ArrayList<>();
    String address = "keymaker.ifpp.test";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--list" -> list = true;
        case "--stdio" -> stdio = true;
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
        case "--eid" -> eid = value(args, ++i, a);
        case "--vpcd" -> vpcd = value(args, ++i, a);
        case "--trusted-ci" -> cis.add(Path.of(value(args, ++i, a)));
        case "--notification-address" -> address = value(args, ++i, a);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (stateDir == null) {
      throw new IllegalArgumentException("--state-dir is required");
    }
    if (list == (eid != null)) {
      throw new IllegalArgumentException("give either --list or --eid");
    }
    if (eid != null && (vpcd != null) == stdio) {
      throw new IllegalArgumentException("give either --vpcd [HOST:]PORT or --stdio");
    }
    return new ChipOptions(stateDir, list, eid, vpcd, stdio, List.copyOf(cis), address);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** {@code [HOST:]PORT}, localhost by default. */
  InetSocketAddress vpcd() {
    String target = vpcdTarget == null ? String.valueOf(VpcdClient.DEFAULT_PORT) : vpcdTarget;
    int colon = target.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : target.substring(0, colon);
    try {
      int port = Integer.parseInt(target.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--vpcd expects [HOST:]PORT, got " + target);
    }
  }
}

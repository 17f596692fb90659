package org.ifpp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.InitialiseSecureChannelRequest;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ifpp inspect}: prints the structure of a Bound Profile Package without any key. The
 * metadata (A1) is MAC-only, so its ICCID and name are readable by anyone (SGP.22 2.5.5).
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Print the structure of a BoundProfilePackage (no key needed).")
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "DER BoundProfilePackage")
  Path file;

  @Option(names = "--json", description = "one JSON object instead of text")
  boolean json;

  @Override
  public Integer call() {
    byte[] bytes = Io.read(file, "package");
    BoundProfilePackage bpp;
    try {
      bpp = BoundProfilePackage.parse(bytes);
    } catch (ProfilePackageException e) {
      throw new CliException("not a valid BoundProfilePackage: " + e.getMessage());
    }
    InitialiseSecureChannelRequest isc = bpp.initialiseSecureChannel();
    HexFormat hex = HexFormat.of().withUpperCase();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("size", bytes.length);
    info.put("form", bpp.form().name().toLowerCase());
    info.put("remoteOpId", isc.remoteOpId());
    info.put("transactionId", isc.transactionId().toHex());
    info.put("hostId", hex.formatHex(isc.hostId().toBytes()));
    info.put("hostIdText", printable(isc.hostId().toBytes()));
    info.put("keyType", String.format("%02X", isc.keyType()));
    info.put("keyLength", isc.keyLength());
    info.put("otPkDp", hex.formatHex(isc.otPkDpBytes()));
    info.put("mode", bpp.hasReplaceSessionKeys() ? "ppk" : "session");
    info.put("configureIsdpSegments", sizes(bpp.configureIsdpSegments()));
    info.put("storeMetadataSegments", sizes(bpp.storeMetadataSegments()));
    info.put("replaceSessionKeysSegments", bpp.replaceSessionKeysSegment().isPresent() ? 1 : 0);
    List<Integer> profileSizes = sizes(bpp.profileElementSegments());
    info.put("profileSegments", profileSizes.size());
    info.put("profileSegmentSizes", profileSizes);
    readMetadata(bpp, info);
    info.put("structure", tree(bytes));
    if (json) {
      try {
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(info));
      } catch (JsonProcessingException e) {
        throw new CliException("cannot render JSON: " + e.getOriginalMessage());
      }
    } else {
      for (Map.Entry<String, Object> e : info.entrySet()) {
        if (!e.getKey().equals("structure")) {
          spec.commandLine().getOut().printf("%-28s %s%n", e.getKey(), e.getValue());
        }
      }
      spec.commandLine().getOut().println("structure:");
      for (Object line : (List<?>) info.get("structure")) {
        spec.commandLine().getOut().println("  " + line);
      }
    }
    return 0;
  }

  private static List<Integer> sizes(List<Tlv> segments) {
    List<Integer> out = new ArrayList<>();
    for (Tlv t : segments) {
      out.add(t.encodedLength());
    }
    return out;
  }

  /** A1's 88 segments carry the plain BF25 followed by an 8-byte MAC each. */
  private static void readMetadata(BoundProfilePackage bpp, Map<String, Object> info) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (Tlv seg : bpp.storeMetadataSegments()) {
      byte[] v = seg.value();
      if (v.length < 8) {
        return;
      }
      plain.write(v, 0, v.length - 8);
    }
    try {
      Tlv bf25 = TlvReader.readSingle(plain.toByteArray(), TlvLimits.DEFAULT);
      bf25.child(0x5A)
          .ifPresent(
              t -> {
                try {
                  info.put("iccid", org.ifpp.crypto.ids.Iccid.fromBytes(t.value()).value());
                } catch (IllegalArgumentException e) {
                  info.put("iccid", "invalid");
                }
              });
      bf25.child(0x92).ifPresent(t -> info.put("profileName", utf8(t.value())));
      bf25.child(0x91).ifPresent(t -> info.put("serviceProviderName", utf8(t.value())));
    } catch (TlvException e) {
      info.put("iccid", "unreadable metadata");
    }
  }

  private static List<String> tree(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    try {
      walk(TlvReader.readSingle(bytes, TlvLimits.DEFAULT), 0, lines);
    } catch (TlvException e) {
      lines.add("(" + e.getMessage() + ")");
    }
    return lines;
  }

  private static void walk(Tlv t, int depth, List<String> lines) {
    lines.add("  ".repeat(depth) + t.tagHex() + " len=" + t.valueLength());
    boolean opaque = t.tag() == 0x86 || t.tag() == 0x87 || t.tag() == 0x88;
    if (t.isConstructed() && !opaque) {
      for (Tlv c : t.children()) {
        walk(c, depth + 1, lines);
      }
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String printable(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? s : "";
  }
}

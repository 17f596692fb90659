package org.ifpp.keymaker.hsm.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the slot that holds the token with a given label. A SunPKCS11 configuration can name a slot
 * but not a token label, and SoftHSM draws a random slot id on every token init, so the slot is
 * looked up at start-up.
 *
 * <p>First choice: PKCS#11 {@code C_GetSlotList} + {@code C_GetTokenInfo} through the JDK's own
 * wrapper ({@code sun.security.pkcs11.wrapper}, reached by reflection; it needs {@code --add-opens
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}). It works for any PKCS#11 module
 * and initialises the module with {@code CKF_OS_LOCKING_OK}, exactly as SunPKCS11 does later (the
 * JDK caches one initialised instance per module path, so the two share it). Fallback when the
 * package is not opened and the module is SoftHSM: parse {@code softhsm2-util --show-slots}.
 */
public final class TokenSlots {

  private static final long CKF_OS_LOCKING_OK = 0x2L;
  private static final Pattern SLOT = Pattern.compile("^Slot (\\d+)\\s*$");
  private static final Pattern LABEL = Pattern.compile("^\\s*Label:\\s*(.*?)\\s*$");

  private TokenSlots() {}

  /**
   * @return the slot id of the token labelled {@code label}
   * @throws IllegalStateException if no token or more than one token has that label
   */
  public static long slotOf(String library, String label) {
    List<Long> matches;
    try {
      matches = viaWrapper(library, label);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!library.contains("softhsm")) {
        throw new IllegalStateException(
            "cannot list PKCS#11 tokens; start the JVM with --add-opens"
                + " jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
            e);
      }
      matches = viaSoftHsmUtil(label);
    }
    if (matches.isEmpty()) {
      throw new IllegalStateException("no PKCS#11 token labelled '" + label + "'");
    }
    if (matches.size() > 1) {
      throw new IllegalStateException("more than one PKCS#11 token labelled '" + label + "'");
    }
    return matches.get(0);
  }

  private static List<Long> viaWrapper(String library, String label)
      throws ReflectiveOperationException {
    Class<?> p11Class = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
    Class<?> argsClass = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
    Object args = argsClass.getConstructor().newInstance();
    argsClass.getField("flags").setLong(args, CKF_OS_LOCKING_OK);
    Method getInstance =
        p11Class.getMethod("getInstance", String.class, String.class, argsClass, boolean.class);
    Object p11;
    try {
      p11 = getInstance.invoke(null, library, "C_GetFunctionList", args, false);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot load PKCS#11 module " + library, e.getCause());
    }
    long[] slots = (long[]) p11Class.getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
    Method tokenInfo = p11Class.getMethod("C_GetTokenInfo", long.class);
    List<Long> matches = new ArrayList<>();
    for (long slot : slots) {
      Object info = tokenInfo.invoke(p11, slot);
      char[] chars = (char[]) info.getClass().getField("label").get(info);
      if (new String(chars).strip().equals(label)) {
        matches.add(slot);
      }
    }
    return matches;
  }

  private static List<Long> viaSoftHsmUtil(String label) {
    try {
      Process process =
          new ProcessBuilder("softhsm2-util", "--show-slots").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("softhsm2-util --show-slots failed");
      }
      return parseShowSlots(out, label);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run softhsm2-util", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing SoftHSM slots", e);
    }
  }

  /** Parses the output of {@code softhsm2-util --show-slots}. */
  static List<Long> parseShowSlots(String output, String label) {
    List<Long> matches = new ArrayList<>();
    Long current = null;
    for (String line : output.split("\n")) {
      Matcher slot = SLOT.matcher(line);
      if (slot.matches()) {
        current = Long.parseLong(slot.group(1));
        continue;
      }
      Matcher l = LABEL.matcher(line);
      if (l.matches() && current != null && l.group(1).equals(label)) {
        matches.add(current);
      }
    }
    return matches;
  }
}

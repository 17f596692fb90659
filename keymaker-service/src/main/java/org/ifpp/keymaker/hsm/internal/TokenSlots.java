package org.ifpp.keymaker.hsm.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Finds the slot that holds the token with a given label. A SunPKCS11 configuration can name a slot
 * but not a token label, and SoftHSM draws a random slot id on every token init, so the slot is
 * looked up at start-up with PKCS#11 {@code C_GetSlotList} + {@code C_GetTokenInfo}.
 *
 * <p>These two calls go through xipki's {@code ipkcs11wrapper} (the IAIK PKCS#11 wrapper, its JNI
 * library shipped in the jar), not through the JDK's internal {@code sun.security.pkcs11.wrapper}:
 * no {@code --add-opens} is needed. Everything else (login, keys, signatures, AES) is plain JCA
 * through SunPKCS11.
 *
 * <p>The module is initialised with {@code CKF_OS_LOCKING_OK} (the flags SunPKCS11 uses; SoftHSM
 * turns its own locking off without them) and deliberately not finalised: the module is one per
 * process, SunPKCS11 initialises it again and takes {@code CKR_CRYPTOKI_ALREADY_INITIALIZED} as
 * success, and a {@code C_Finalize} here would invalidate the sessions of any SunPKCS11 provider
 * already open on the same module.
 */
public final class TokenSlots {

  private TokenSlots() {}

  /**
   * @return the slot id of the token labelled {@code label}
   * @throws IllegalStateException if the module cannot be loaded, or if no token or more than one
   *     token has that label
   */
  public static long slotOf(String library, String label) {
    List<Long> matches = slotsLabelled(library, label);
    if (matches.isEmpty()) {
      throw new IllegalStateException("no PKCS#11 token labelled '" + label + "'");
    }
    if (matches.size() > 1) {
      throw new IllegalStateException("more than one PKCS#11 token labelled '" + label + "'");
    }
    return matches.get(0);
  }

  private static List<Long> slotsLabelled(String library, String label) {
    try {
      PKCS11Module module = PKCS11Module.getInstance(library);
      try {
        module.initialize();
      } catch (PKCS11Exception e) {
        if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
          throw e;
        }
      }
      List<Long> matches = new ArrayList<>();
      for (Slot slot : module.getSlotList(true)) {
        if (slot.getToken().getTokenInfo().getLabel().strip().equals(label)) {
          matches.add(slot.getSlotID());
        }
      }
      return matches;
    } catch (IOException | TokenException e) {
      throw new IllegalStateException("cannot list the tokens of PKCS#11 module " + library, e);
    }
  }
}

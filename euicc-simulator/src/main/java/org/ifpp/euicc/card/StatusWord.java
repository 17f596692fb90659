package org.ifpp.euicc.card;

/** The status words the card answers (ISO/IEC 7816-4 section 5.6, GlobalPlatform 11.1.3). */
public final class StatusWord {

  /** Normal processing. */
  public static final int OK = 0x9000;

  /** {@code 61xx}: xx more response bytes are available through GET RESPONSE (00: 256 or more). */
  public static final int MORE_DATA = 0x6100;

  /** Wrong length (Lc or Le absent, present or inconsistent with the instruction). */
  public static final int WRONG_LENGTH = 0x6700;

  /** Logical channel not supported (or not open). */
  public static final int LOGICAL_CHANNEL_NOT_SUPPORTED = 0x6881;

  /** Secure messaging not supported. */
  public static final int SECURE_MESSAGING_NOT_SUPPORTED = 0x6882;

  /** Command chaining (CLA bit b5) not supported: STORE DATA chains through P1/P2 instead. */
  public static final int COMMAND_CHAINING_NOT_SUPPORTED = 0x6884;

  /** Conditions of use not satisfied (nothing selected, no response pending, out of order). */
  public static final int CONDITIONS_NOT_SATISFIED = 0x6985;

  /**
   * Security status not satisfied: a finalisation command unsigned, mis-signed or for another chip.
   */
  public static final int SECURITY_STATUS_NOT_SATISFIED = 0x6982;

  /** Incorrect parameters in the command data field. */
  public static final int WRONG_DATA = 0x6A80;

  /** Function not supported (e.g. no logical channel left). */
  public static final int FUNCTION_NOT_SUPPORTED = 0x6A81;

  /** File or application not found (SELECT). */
  public static final int FILE_NOT_FOUND = 0x6A82;

  /** Not enough memory space (a chained command too long). */
  public static final int NOT_ENOUGH_MEMORY = 0x6A84;

  /** Incorrect parameters P1-P2. */
  public static final int INCORRECT_P1P2 = 0x6A86;

  /** Referenced data not found (an ES10 function the card does not implement). */
  public static final int REFERENCED_DATA_NOT_FOUND = 0x6A88;

  /** Wrong parameters P1-P2 (a STORE DATA block number out of sequence). */
  public static final int WRONG_P1P2 = 0x6B00;

  /** Instruction code not supported or invalid. */
  public static final int INS_NOT_SUPPORTED = 0x6D00;

  /** Class not supported. */
  public static final int CLA_NOT_SUPPORTED = 0x6E00;

  /** No precise diagnosis (an unexpected internal failure; the card state is unchanged). */
  public static final int NO_PRECISE_DIAGNOSIS = 0x6F00;

  private StatusWord() {}

  /** {@code sw} as two bytes. */
  public static byte[] bytes(int sw) {
    return new byte[] {(byte) (sw >> 8), (byte) sw};
  }
}

package org.ifpp.euicc.web;

/**
 * Reads a whole-number request field declared as {@link Number}, so that {@code 1.5} or {@code 1e3}
 * is refused with a 400 naming the field (code {@code invalidInteger}) instead of being truncated.
 */
public final class IntegerField {

  private IntegerField() {}

  /**
   * @return the value, or null when the field is absent
   * @throws BadRequestException {@code invalidInteger} unless the JSON number was an integer that
   *     fits an {@code int}
   */
  public static Integer of(String field, Number value) {
    if (value == null) {
      return null;
    }
    if ((value instanceof Integer || value instanceof Long || value instanceof Short)
        && value.longValue() == value.intValue()) {
      return value.intValue();
    }
    if (value instanceof java.math.BigInteger b && b.bitLength() < 32) {
      return b.intValue();
    }
    throw new BadRequestException("invalidInteger", field + " must be a whole number");
  }
}

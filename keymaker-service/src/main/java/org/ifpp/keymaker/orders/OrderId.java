package org.ifpp.keymaker.orders;

import java.util.Objects;
import java.util.UUID;

/**
 * A production order's id: a random UUID, written in its canonical lower-case form. Other features
 * (finalisation, reports) name orders only by this type.
 */
public record OrderId(UUID value) {

  public OrderId {
    Objects.requireNonNull(value, "order id");
  }

  /** A fresh random id. */
  public static OrderId random() {
    return new OrderId(UUID.randomUUID());
  }

  /**
   * Parses the canonical form.
   *
   * @throws IllegalArgumentException when {@code text} is not a UUID
   */
  public static OrderId of(String text) {
    if (text == null || text.length() != 36) {
      throw new IllegalArgumentException("an order id is a UUID");
    }
    return new OrderId(UUID.fromString(text));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}

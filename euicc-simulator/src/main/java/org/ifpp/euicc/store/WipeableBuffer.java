package org.ifpp.euicc.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** A byte buffer whose content (it may hold private scalars) can be zeroed after use. */
final class WipeableBuffer extends ByteArrayOutputStream {

  WipeableBuffer(int initialSize) {
    super(initialSize);
  }

  /** The internal array, valid up to {@link #size()}. */
  byte[] array() {
    return buf;
  }

  void wipe() {
    Arrays.fill(buf, (byte) 0);
    reset();
  }
}

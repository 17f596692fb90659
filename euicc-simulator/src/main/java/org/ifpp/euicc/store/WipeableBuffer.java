package org.ifpp.euicc.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A byte buffer whose content (it may hold private scalars) can be zeroed after use. Only the bytes
 * written are wiped (the rest of the array was never written); when the buffer grows, the old array
 * is wiped before it is dropped, so no copy of the content is left to the garbage collector.
 */
final class WipeableBuffer extends ByteArrayOutputStream {

  WipeableBuffer(int initialSize) {
    super(initialSize);
  }

  /** The internal array, valid up to {@link #size()}. */
  byte[] array() {
    return buf;
  }

  @Override
  public synchronized void write(int b) {
    ensureRoom(1);
    super.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    ensureRoom(len);
    super.write(b, off, len);
  }

  private void ensureRoom(int more) {
    if (more > buf.length - count) {
      byte[] old = buf;
      buf = Arrays.copyOf(old, Math.max(old.length * 2, count + more));
      Arrays.fill(old, 0, count, (byte) 0);
    }
  }

  void wipe() {
    Arrays.fill(buf, 0, count, (byte) 0);
    reset();
  }
}

package org.ifpp.euicc.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WipeableBufferTest {

  private static byte[] secret(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0x5A);
    return b;
  }

  @Test
  void wipe_zeroesEveryWrittenByte() {
    WipeableBuffer buffer = new WipeableBuffer(64);
    buffer.write(secret(40), 0, 40);
    buffer.write(0x77);
    byte[] array = buffer.array();

    buffer.wipe();

    assertThat(array).containsOnly((byte) 0);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void growing_wipesTheArrayItLeaves() {
    WipeableBuffer buffer = new WipeableBuffer(16);
    buffer.write(secret(10), 0, 10);
    byte[] first = buffer.array();

    buffer.write(secret(30), 0, 30);
    buffer.write(0x5A);

    assertThat(buffer.array()).isNotSameAs(first);
    assertThat(first).containsOnly((byte) 0);
    assertThat(Arrays.copyOf(buffer.array(), buffer.size())).containsOnly((byte) 0x5A);
    assertThat(buffer.size()).isEqualTo(41);
  }

  @Test
  void growingByOneByte_keepsTheContent() {
    WipeableBuffer buffer = new WipeableBuffer(4);
    for (int i = 0; i < 100; i++) {
      buffer.write(i);
    }
    byte[] expected = new byte[100];
    for (int i = 0; i < 100; i++) {
      expected[i] = (byte) i;
    }
    assertThat(buffer.toByteArray()).isEqualTo(expected);
  }
}

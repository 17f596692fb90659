package org.ifpp.crypto.archfixture.outsider;

import org.ifpp.crypto.archfixture.leaky.internal.Hidden;

/** Uses another package's internal class: what {@code internalUsedOnlyFromItsParent} forbids. */
public final class Outsider {
  public Object use() {
    return Hidden.api();
  }
}

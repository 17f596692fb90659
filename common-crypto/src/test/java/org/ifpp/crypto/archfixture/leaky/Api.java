package org.ifpp.crypto.archfixture.leaky;

import org.ifpp.crypto.archfixture.leaky.internal.Hidden;

/** Uses its own internal package (allowed) which uses it back (a cycle). */
public final class Api {
  public Object hidden() {
    return Hidden.class;
  }
}

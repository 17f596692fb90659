package org.ifpp.crypto.archfixture.leaky.internal;

import org.ifpp.crypto.archfixture.leaky.Api;

/** Internal, and depends on its parent's API: the cycle {@code noCyclesBetweenPackages} finds. */
public final class Hidden {
  public static Api api() {
    return new Api();
  }
}

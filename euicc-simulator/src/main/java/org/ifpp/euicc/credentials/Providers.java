package org.ifpp.euicc.credentials;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one pinned JCA provider used for key generation and certificate issuing here. */
public final class Providers {

  public static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Providers() {}
}

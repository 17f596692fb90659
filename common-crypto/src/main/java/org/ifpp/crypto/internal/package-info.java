/**
 * Internal to {@code common-crypto}: a thin strict DER reader over BouncyCastle that the codecs of
 * {@code pir} and {@code euiccdata} share. Not an API: other modules must not use it (an ArchUnit
 * rule keeps every {@code internal} package to its parent).
 */
package org.ifpp.crypto.internal;

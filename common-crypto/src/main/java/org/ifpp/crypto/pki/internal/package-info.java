/**
 * Internal to {@code pki}, {@code pir} and {@code euiccdata}: the individual SGP.22 certificate
 * checks, the EUM Name Constraints rule, and a thin strict DER reader over BouncyCastle. Not an
 * API: other packages must not use it.
 */
package org.ifpp.crypto.pki.internal;

/**
 * Strict BER-TLV reading and writing (ISO/IEC 8825-1, definite lengths) for SGP.22 data objects and
 * SAIP profile packages. All malformed input raises {@link org.ifpp.crypto.tlv.TlvException}.
 */
package org.ifpp.crypto.tlv;

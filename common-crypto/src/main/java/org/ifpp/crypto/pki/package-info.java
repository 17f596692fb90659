/**
 * Certificate path validation for IFPP (IFPP.md sections 3 and 6; SGP.22 section 4.5.2): trusted
 * CIs ({@link org.ifpp.crypto.pki.TrustAnchors}), the Key Maker's binding certificate ({@link
 * org.ifpp.crypto.pki.BindingCertificateValidator}), the eUICC chain CI &rarr; EUM &rarr; eUICC
 * ({@link org.ifpp.crypto.pki.EuiccChainValidator}), and a development PKI ({@link
 * org.ifpp.crypto.pki.DevelopmentPki}). Results are typed; bad input never throws. {@code internal}
 * is for this package, {@code pir} and {@code euiccdata} only.
 */
package org.ifpp.crypto.pki;

/**
 * Certificate path validation for IFPP (IFPP.md sections 3 and 6; SGP.22 section 4.5.2): trusted
 * CIs ({@link org.ifpp.crypto.pki.TrustAnchors}), the Key Maker's binding certificate ({@link
 * org.ifpp.crypto.pki.BindingCertificateValidator}), the eUICC chain CI &rarr; EUM &rarr; eUICC
 * ({@link org.ifpp.crypto.pki.EuiccChainValidator}), and a development PKI ({@link
 * org.ifpp.crypto.pki.DevelopmentPki}). Results are typed; bad input never throws. The individual
 * SGP.22 certificate checks and the EUM Name Constraints rule are package-private here.
 */
package org.ifpp.crypto.pki;

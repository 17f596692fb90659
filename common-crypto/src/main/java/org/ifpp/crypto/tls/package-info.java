/**
 * TLS between the IFPP services: the development PKI that {@code ifpp pki} writes ({@link
 * DevelopmentTlsPki}) and the client side's {@link javax.net.ssl.SSLContext} read from its PEM
 * files ({@link PemTls}). The servers use Spring Boot's SSL bundles on the same files.
 */
package org.ifpp.crypto.tls;

package org.ifpp.crypto.pki;

/**
 * The outcome of {@link EuiccChainValidator#validateEum}: a {@link TrustedEum} for its eUICC
 * certificates, or why the EUM certificate is refused (element {@code EUM}).
 */
public sealed interface EumValidation permits TrustedEum, EuiccChainValidation.Invalid {}

package org.ifpp.euicc.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Reads an X.509 certificate from DER or PEM bytes or files. */
public final class CertificateFiles {

  private CertificateFiles() {}

  public static X509Certificate read(Path file) {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificate " + file, e);
    }
  }

  /**
   * @throws IllegalArgumentException if the bytes are not one X.509 certificate
   */
  public static X509Certificate parse(byte[] derOrPem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509", Providers.BC)
              .generateCertificate(new ByteArrayInputStream(derOrPem));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not an X.509 certificate", e);
    }
  }
}

package org.ifpp.euicc.loading.internal;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.bpp.StoreMetadataRequest;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.euicc.chip.InstalledProfile;

/**
 * What the chip keeps of a StoreMetadataRequest (SGP.22 5.5.3: serviceProviderName {@code 91},
 * profileName {@code 92}, profileClass {@code 95}) and the smdpOid of a binding certificate (SGP.22
 * 4.5.2.1.0.1: the registeredID of its subjectAltName), read from what the opener already checked.
 *
 * @param serviceProviderName {@code 91}, empty if absent
 * @param profileName {@code 92}, if present
 * @param profileClass {@code 95}, operational when absent or out of range
 */
public record ProfileMetadata(
    String serviceProviderName, Optional<String> profileName, int profileClass) {

  public static ProfileMetadata of(StoreMetadataRequest metadata) {
    if (metadata == null) {
      return new ProfileMetadata("", Optional.empty(), InstalledProfile.OPERATIONAL);
    }
    try {
      Tlv bf25 = TlvReader.readSingle(metadata.encode(), TlvLimits.DEFAULT);
      String spn = bf25.child(0x91).map(ProfileMetadata::utf8).orElse("");
      Optional<String> name = bf25.child(0x92).map(ProfileMetadata::utf8);
      int profileClass =
          bf25.child(0x95)
              .filter(t -> t.valueLength() == 1 && t.value()[0] >= 0 && t.value()[0] <= 2)
              .map(t -> (int) t.value()[0])
              .orElse(InstalledProfile.OPERATIONAL);
      return new ProfileMetadata(spn, name, profileClass);
    } catch (TlvException e) {
      // The opener parsed it already; unreachable in practice.
      return new ProfileMetadata("", Optional.empty(), InstalledProfile.OPERATIONAL);
    }
  }

  private static String utf8(Tlv t) {
    return new String(t.value(), StandardCharsets.UTF_8);
  }

  /** The registeredID of the certificate's subjectAltName (the SM-DP+ OID), if it has one. */
  public static Optional<String> smdpOid(X509Certificate certificate) {
    if (certificate == null) {
      return Optional.empty();
    }
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      for (List<?> name : names) {
        if (name.size() == 2 && Integer.valueOf(8).equals(name.get(0))) {
          return Optional.of(String.valueOf(name.get(1)));
        }
      }
      return Optional.empty();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
  }
}

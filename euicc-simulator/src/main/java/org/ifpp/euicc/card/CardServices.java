package org.ifpp.euicc.card;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.ifpp.euicc.finalisation.FinalisationService;
import org.ifpp.euicc.loading.PackageLoader;
import org.ifpp.euicc.notifications.NotificationService;
import org.ifpp.euicc.profiles.ProfileManagementService;
import org.ifpp.euicc.store.ChipRepository;

/**
 * What a card needs of the simulator: the fleet, the one load path ({@link PackageLoader}, the
 * section-6 checks), the notifications and profile management, the one finalisation path, and what
 * EUICCInfo reports.
 *
 * @param ciPkIds the Subject Key Identifiers of the CIs the chips trust (EUICCInfo's
 *     euiccCiPKIdListForVerification)
 * @param rootDsAddress the root SM-DS address GetEuiccConfiguredAddresses reports
 * @param maxPackageBytes the largest package a load may declare
 */
public record CardServices(
    ChipRepository chips,
    PackageLoader loader,
    NotificationService notifications,
    ProfileManagementService profiles,
    FinalisationService finalisation,
    List<byte[]> ciPkIds,
    String rootDsAddress,
    int maxPackageBytes) {

  /** The root SM-DS of the GSMA, what eUICCs ship with. */
  public static final String GSMA_ROOT_DS = "lpa.ds.gsma.com";

  public CardServices {
    Objects.requireNonNull(chips, "chips");
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(profiles, "profiles");
    Objects.requireNonNull(finalisation, "finalisation");
    ciPkIds = ciPkIds.stream().map(byte[]::clone).toList();
    Objects.requireNonNull(rootDsAddress, "rootDsAddress");
  }

  /** The Subject Key Identifiers of these CI certificates (those without one are skipped). */
  public static List<byte[]> subjectKeyIds(List<X509Certificate> cis) {
    List<byte[]> ids = new ArrayList<>();
    for (X509Certificate ci : cis) {
      byte[] ext = ci.getExtensionValue(Extension.subjectKeyIdentifier.getId());
      if (ext == null) {
        continue;
      }
      try {
        ASN1Primitive inner =
            ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets());
        byte[] id = SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier();
        if (ids.stream().noneMatch(x -> java.util.Arrays.equals(x, id))) {
          ids.add(id);
        }
      } catch (IOException | RuntimeException e) {
        // an unreadable extension names no key
      }
    }
    return ids;
  }
}

package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.beanit.asn1bean.ber.ReverseByteArrayOutputStream;
import com.beanit.asn1bean.ber.types.BerType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Decodes what the card answers with the classes asn1bean compiles from the SGP.22 ASN.1 ({@code
 * src/test/asn1/RSPDefinitions.asn}, package {@code org.ifpp.euicc.card.asn1.rspdefinitions}): the
 * value must be exactly one value of the type, using every byte, and encoding the decoded value
 * again must give the same bytes. The module is extensible, so a decoder skips components it does
 * not know; the re-encoding drops them, so an unknown or misplaced component fails here too.
 * asn1bean does not check subtype constraints (SIZE, value ranges): the tests compare the values
 * themselves (an EID's 16 bytes, an ICCID's 10).
 */
final class Sgp22Der {

  private Sgp22Der() {}

  /** The ES10b.LoadBoundProfilePackage answer (a name of its own: the engine has a type of it). */
  static org.ifpp.euicc.card.asn1.rspdefinitions.ProfileInstallationResult
      profileInstallationResult(byte[] der) {
    return decode(der, org.ifpp.euicc.card.asn1.rspdefinitions.ProfileInstallationResult::new);
  }

  static <T extends BerType> T decode(byte[] der, Supplier<T> type) {
    T value = type.get();
    String name = value.getClass().getSimpleName();
    ByteArrayInputStream in = new ByteArrayInputStream(der);
    try {
      value.decode(in);
    } catch (IOException e) {
      throw new AssertionError(
          name + " does not decode: " + e.getMessage() + " in " + HexFormat.of().formatHex(der), e);
    }
    assertThat(in.available()).as(name + ": bytes after the value").isZero();
    ReverseByteArrayOutputStream out = new ReverseByteArrayOutputStream(der.length + 16);
    try {
      value.encode(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(HexFormat.of().withUpperCase().formatHex(out.getArray()))
        .as(name + " re-encoded")
        .isEqualTo(HexFormat.of().withUpperCase().formatHex(der));
    return value;
  }
}

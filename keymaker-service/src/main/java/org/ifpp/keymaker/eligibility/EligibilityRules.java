package org.ifpp.keymaker.eligibility;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.ifpp.crypto.euiccdata.EuiccCategory;
import org.ifpp.crypto.euiccdata.UiccCapability;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;

/**
 * An operator's rules for which chips may get the profiles of one pool (DPFF09, docs/orders.md).
 * Each rule left out (null or empty) allows every chip; a chip must pass every rule given.
 *
 * @param eums the allowed EUMs, each the Subject Key Identifier (hex) of its EUM certificate
 * @param eidRanges the allowed EIDs: a chip must lie in one range (both ends included)
 * @param uiccCapabilities UICCCapability bits (SGP.22 ASN.1 names, e.g. {@code usimSupport}) the
 *     chip's EUICCInfo2 must all state
 * @param euiccCategories the allowed eUICC categories (ASN.1 names, e.g. {@code basicEuicc})
 */
public record EligibilityRules(
    List<String> eums,
    List<EidRange> eidRanges,
    List<String> uiccCapabilities,
    List<String> euiccCategories) {

  /** EIDs from {@code first} to {@code last}, both included (32 digits each). */
  public record EidRange(String first, String last) {}

  /** Whether any rule reads the chip's EUICCInfo2. */
  boolean readsCapabilities() {
    return !empty(uiccCapabilities) || !empty(euiccCategories);
  }

  static boolean empty(List<?> list) {
    return list == null || list.isEmpty();
  }

  /**
   * The rules with every value checked and written canonically (upper-case hex, EIDs as {@link
   * Eid}); 400 invalid-eligibility-rules otherwise.
   */
  public EligibilityRules validated() {
    List<String> skis =
        empty(eums)
            ? List.of()
            : eums.stream()
                .map(
                    s -> {
                      try {
                        byte[] ski = HexFormat.of().parseHex(String.valueOf(s));
                        if (ski.length < 1 || ski.length > 64) {
                          throw new IllegalArgumentException();
                        }
                        return HexFormat.of().withUpperCase().formatHex(ski);
                      } catch (IllegalArgumentException e) {
                        throw invalid("eums: an EUM certificate's Subject Key Identifier in hex");
                      }
                    })
                .toList();
    List<EidRange> ranges =
        empty(eidRanges)
            ? List.of()
            : eidRanges.stream()
                .map(
                    r -> {
                      try {
                        String first = Eid.of(r.first()).value();
                        String last = Eid.of(r.last()).value();
                        if (first.compareTo(last) > 0) {
                          throw invalid("eidRanges: first after last");
                        }
                        return new EidRange(first, last);
                      } catch (IllegalArgumentException | NullPointerException e) {
                        throw invalid("eidRanges: first and last are EIDs");
                      }
                    })
                .toList();
    List<String> capabilities =
        empty(uiccCapabilities)
            ? List.of()
            : uiccCapabilities.stream()
                .map(
                    c ->
                        UiccCapability.fromAsn1Name(c)
                            .orElseThrow(() -> invalid("uiccCapabilities: unknown " + c))
                            .asn1Name())
                .toList();
    List<String> categories =
        empty(euiccCategories)
            ? List.of()
            : euiccCategories.stream()
                .map(
                    c ->
                        EuiccCategory.fromAsn1Name(c)
                            .orElseThrow(() -> invalid("euiccCategories: unknown " + c))
                            .asn1Name())
                .toList();
    return new EligibilityRules(skis, ranges, capabilities, categories);
  }

  private static DomainException invalid(String detail) {
    return new DomainException(
        KeymakerError.INVALID_ELIGIBILITY_RULES, detail.toLowerCase(Locale.ROOT));
  }
}

package org.ifpp.euicc.card;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.InstalledProfile;
import org.ifpp.euicc.profiles.ProfileOperationResult;
import org.ifpp.euicc.profiles.ProfileSelector;

/**
 * The profile functions of ES10c: GetProfilesInfo (SGP.22 5.7.15), EnableProfile (5.7.16),
 * DisableProfile (5.7.17), DeleteProfile (5.7.18) and SetNickname (5.7.21). The management
 * functions go through {@link org.ifpp.euicc.profiles.ProfileManagementService}, which refuses them
 * while field services are locked.
 */
final class Es10Profiles {

  /** ProfileInfo's fields this card reports, in the order of the SGP.22 SEQUENCE. */
  private static final int[] FIELDS = {0x5A, 0x4F, 0x9F70, 0x90, 0x91, 0x92, 0x95};

  private final Eid eid;
  private final CardServices services;

  Es10Profiles(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  /**
   * {@code BF2D [A0 searchCriteria] [5C tagList]} answered by {@code BF2D { A0 { E3 ... } }}, or
   * {@code BF2D { 81 incorrectInputValues(1) }} for a search criterion it cannot read.
   */
  Es10Response profilesInfo(Tlv request) {
    Set<Integer> wanted = new HashSet<>();
    Optional<Tlv> tagList = request.child(0x5C);
    if (tagList.isPresent()) {
      byte[] tags = tagList.get().value();
      for (int i = 0; i < tags.length; ) {
        int tag = Ber.peekTag(java.util.Arrays.copyOfRange(tags, i, tags.length));
        if (tag < 0) {
          return listError();
        }
        wanted.add(tag);
        i += tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;
      }
    } else {
      for (int f : FIELDS) {
        wanted.add(f);
      }
    }
    ProfileFilter filter;
    try {
      filter = ProfileFilter.of(request.child(0xA0));
    } catch (IllegalArgumentException e) {
      return listError();
    }
    Chip chip = services.chips().get(eid);
    List<byte[]> infos = new ArrayList<>();
    chip.locked(
        () -> {
          for (InstalledProfile p : chip.profiles()) {
            if (filter.matches(p)) {
              infos.add(profileInfo(p, wanted));
            }
          }
          return null;
        });
    return Es10Response.ok(
        TlvWriter.encodeConstructed(
            0xBF2D, TlvWriter.encodeConstructed(0xA0, infos.toArray(byte[][]::new))));
  }

  private static Es10Response listError() {
    return Es10Response.ok(TlvWriter.encodeConstructed(0xBF2D, Ber.integer(0x81, 1)));
  }

  private static byte[] profileInfo(InstalledProfile p, Set<Integer> wanted) {
    List<byte[]> fields = new ArrayList<>();
    for (int tag : FIELDS) {
      if (!wanted.contains(tag)) {
        continue;
      }
      switch (tag) {
        case 0x5A -> fields.add(TlvWriter.encode(0x5A, p.iccid().toBytes()));
        case 0x4F -> fields.add(TlvWriter.encode(0x4F, p.isdpAidBytes()));
        case 0x9F70 -> fields.add(Ber.integer(0x9F70, p.enabled() ? 1 : 0));
        case 0x90 -> p.nickname().ifPresent(n -> fields.add(Ber.utf8(0x90, n)));
        case 0x91 -> fields.add(Ber.utf8(0x91, p.serviceProviderName()));
        case 0x92 -> fields.add(Ber.utf8(0x92, p.name()));
        case 0x95 -> fields.add(Ber.integer(0x95, p.profileClass()));
        default -> throw new IllegalStateException();
      }
    }
    return TlvWriter.encodeConstructed(0xE3, fields.toArray(byte[][]::new));
  }

  /** EnableProfile {@code BF31 { A0 {4F|5A}, 81 refreshFlag }} -> {@code BF31 { 80 result }}. */
  Es10Response enable(Tlv request) {
    return managed(request, 0xBF31, true, s -> services.profiles().enable(eid, s));
  }

  /** DisableProfile {@code BF32 { A0 {4F|5A}, 81 refreshFlag }} -> {@code BF32 { 80 result }}. */
  Es10Response disable(Tlv request) {
    return managed(request, 0xBF32, true, s -> services.profiles().disable(eid, s));
  }

  /** DeleteProfile {@code BF33 {4F|5A}} -> {@code BF33 { 80 result }}. */
  Es10Response delete(Tlv request) {
    return managed(request, 0xBF33, false, s -> services.profiles().delete(eid, s));
  }

  /** SetNickname {@code BF29 { 5A iccid, 90 nickname }} -> {@code BF29 { 80 result }}. */
  Es10Response setNickname(Tlv request) {
    Optional<Tlv> iccid = request.child(0x5A);
    Optional<Tlv> nickname = request.child(0x90);
    if (iccid.isEmpty() || nickname.isEmpty() || nickname.get().valueLength() > 64) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    ProfileSelector selector;
    try {
      selector = new ProfileSelector.ByIccid(Iccid.fromBytes(iccid.get().value()));
    } catch (IllegalArgumentException e) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    String value = new String(nickname.get().value(), StandardCharsets.UTF_8);
    ProfileOperationResult r = services.profiles().setNickname(eid, selector, value);
    // setNicknameResult knows ok(0), iccidNotFound(1), undefinedError(127).
    int code = r == ProfileOperationResult.DISALLOWED_BY_POLICY ? 127 : r.code();
    return Es10Response.ok(TlvWriter.encodeConstructed(0xBF29, Ber.integer(0x80, code)));
  }

  private Es10Response managed(
      Tlv request,
      int tag,
      boolean wrapped,
      java.util.function.Function<ProfileSelector, ProfileOperationResult> operation) {
    Tlv identifierHolder = request;
    if (wrapped) {
      Optional<Tlv> choice = request.child(0xA0);
      if (choice.isEmpty()) {
        return Es10Response.error(StatusWord.WRONG_DATA);
      }
      identifierHolder = choice.get();
    }
    Optional<ProfileSelector> selector = selector(identifierHolder);
    if (selector.isEmpty()) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    ProfileOperationResult r = operation.apply(selector.get());
    return Es10Response.ok(TlvWriter.encodeConstructed(tag, Ber.integer(0x80, r.code())));
  }

  /** The one {@code 4F} (ISD-P AID) or {@code 5A} (ICCID) inside {@code holder}. */
  private static Optional<ProfileSelector> selector(Tlv holder) {
    List<Tlv> children = holder.children();
    if (children.size() != 1) {
      return Optional.empty();
    }
    Tlv id = children.get(0);
    try {
      return switch (id.tag()) {
        case 0x4F ->
            id.valueLength() >= 5 && id.valueLength() <= 16
                ? Optional.of(new ProfileSelector.ByIsdpAid(id.value()))
                : Optional.empty();
        case 0x5A -> Optional.of(new ProfileSelector.ByIccid(Iccid.fromBytes(id.value())));
        default -> Optional.empty();
      };
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** GetProfilesInfo's searchCriteria ({@code A0 { 4F | 5A | 95 }}). */
  private record ProfileFilter(Optional<String> aidHex, Optional<Iccid> iccid, int profileClass) {

    static ProfileFilter of(Optional<Tlv> criteria) {
      if (criteria.isEmpty()) {
        return new ProfileFilter(Optional.empty(), Optional.empty(), -1);
      }
      List<Tlv> children = criteria.get().children();
      if (children.size() != 1) {
        throw new IllegalArgumentException("one search criterion");
      }
      Tlv c = children.get(0);
      return switch (c.tag()) {
        case 0x4F ->
            new ProfileFilter(
                Optional.of(java.util.HexFormat.of().formatHex(c.value())), Optional.empty(), -1);
        case 0x5A ->
            new ProfileFilter(Optional.empty(), Optional.of(Iccid.fromBytes(c.value())), -1);
        case 0x95 -> new ProfileFilter(Optional.empty(), Optional.empty(), (int) Ber.intValue(c));
        default -> throw new IllegalArgumentException("unknown search criterion");
      };
    }

    boolean matches(InstalledProfile p) {
      return aidHex.map(a -> a.equalsIgnoreCase(p.isdpAid())).orElse(true)
          && iccid.map(i -> i.equals(p.iccid())).orElse(true)
          && (profileClass < 0 || profileClass == p.profileClass());
    }
  }
}

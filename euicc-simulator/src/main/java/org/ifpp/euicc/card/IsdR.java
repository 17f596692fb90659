package org.ifpp.euicc.card;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvException;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;

/**
 * The ISD-R as selected on one logical channel: dispatches each complete ES10 command (the data of
 * one STORE DATA sequence) by its tag. Its only state is the package being loaded on this channel.
 *
 * <p>Answers: the ES10 response with {@code 9000}; {@code 6A80} for a command whose data is not the
 * TLV it must be (nothing changed); {@code 6A88} for an ES10 function this card does not implement
 * (GetEuiccChallenge, AuthenticateServer and the other consumer download functions, which need an
 * SM-DP+ on line); {@code 6985} for a package segment with no package begun.
 */
final class IsdR {

  /** The AID of the ISD-R (SGP.22 2.2.3). */
  static final String AID = "A0000005591010FFFFFFFF8900000100";

  private final Es10Load load;
  private final Es10Info info;
  private final Es10Profiles profiles;
  private final Es10Notifications notifications;
  private final Es10Finalisation finalisation;

  IsdR(Eid eid, CardServices services) {
    this.load = new Es10Load(eid, services);
    this.info = new Es10Info(eid, services);
    this.profiles = new Es10Profiles(eid, services);
    this.notifications = new Es10Notifications(eid, services);
    this.finalisation = new Es10Finalisation(eid, services);
  }

  /** Deselected, or its channel closed: a package being received is abandoned. */
  void close() {
    load.abandon();
  }

  Es10Response process(byte[] command) {
    int tag = Ber.peekTag(command);
    if (tag < 0) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    if (Es10Load.isSegmentTag(tag)) {
      return load.segment(tag, command);
    }
    Tlv request;
    try {
      request = TlvReader.readSingle(command, TlvLimits.DEFAULT);
      if (tag != Es10Load.BINDING_CERTIFICATE_TAG && request.isConstructed()) {
        request.children(); // a malformed body fails here, before anything runs
      }
    } catch (TlvException e) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    if (tag != Es10Load.BINDING_CERTIFICATE_TAG && !request.isConstructed()) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    try {
      return switch (tag) {
        case Es10Load.BINDING_CERTIFICATE_TAG -> load.bindingCertificate(request.value());
        case Es10Load.ONE_TIME_KEY_TAG -> load.oneTimeKey(request);
        case 0xBF3E -> info.eid(request);
        case 0xBF20 -> info.info1();
        case 0xBF22 -> info.info2();
        case 0xBF3C -> info.configuredAddresses();
        case 0xBF43 -> info.rat();
        case 0xBF2D -> profiles.profilesInfo(request);
        case 0xBF31 -> profiles.enable(request);
        case 0xBF32 -> profiles.disable(request);
        case 0xBF33 -> profiles.delete(request);
        case 0xBF29 -> profiles.setNickname(request);
        case 0xBF28 -> notifications.list(request);
        case 0xBF2B -> notifications.retrieve(request);
        case 0xBF30 -> notifications.remove(request);
        case Es10Finalisation.COMMAND_TAG -> finalisation.finalise(request);
        default -> Es10Response.error(StatusWord.REFERENCED_DATA_NOT_FOUND);
      };
    } catch (TlvException | IllegalArgumentException e) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
  }
}

package org.ifpp.euicc.card;

import static org.ifpp.euicc.card.Asn1Schema.BIT_STRING;
import static org.ifpp.euicc.card.Asn1Schema.INTEGER;
import static org.ifpp.euicc.card.Asn1Schema.OCTET_STRING;
import static org.ifpp.euicc.card.Asn1Schema.OID;
import static org.ifpp.euicc.card.Asn1Schema.UTF8;
import static org.ifpp.euicc.card.Asn1Schema.app;
import static org.ifpp.euicc.card.Asn1Schema.ctx;
import static org.ifpp.euicc.card.Asn1Schema.field;
import static org.ifpp.euicc.card.Asn1Schema.octets;
import static org.ifpp.euicc.card.Asn1Schema.optional;
import static org.ifpp.euicc.card.Asn1Schema.sequence;
import static org.ifpp.euicc.card.Asn1Schema.sequenceOf;
import static org.ifpp.euicc.card.Asn1Schema.untagged;

import org.bouncycastle.asn1.BERTags;
import org.ifpp.euicc.card.Asn1Schema.Choice;
import org.ifpp.euicc.card.Asn1Schema.Field;
import org.ifpp.euicc.card.Asn1Schema.Type;

/**
 * The SGP.22 v2.2.2 ASN.1 definitions (module RSPDefinitions, AUTOMATIC TAGS; section 5.7 and
 * 5.5.3) of every ES10 answer the card gives, transcribed from the specification. Automatic tags
 * are written out where the module applies them (a SEQUENCE none of whose components is tagged).
 */
final class Sgp22Asn1 {

  private Sgp22Asn1() {}

  // VersionType ::= OCTET STRING(SIZE(3)) -- major/minor/revision
  static final Type VERSION = octets(3, 3);
  // Iccid ::= [APPLICATION 26] OCTET STRING (SIZE(10))
  static final Field ICCID = app("iccid", 26, octets(10, 10));
  // OctetTo16 ::= OCTET STRING (SIZE(1..16))
  static final Type OCTET_TO_16 = octets(1, 16);

  // GetEuiccDataResponse ::= [62] SEQUENCE { eidValue [APPLICATION 26] Octet16 }
  static final Field GET_EUICC_DATA_RESPONSE =
      ctx("GetEuiccDataResponse", 62, sequence(app("eidValue", 26, octets(16, 16))));

  // ProfileInfo ::= [PRIVATE 3] SEQUENCE { iccid Iccid OPTIONAL, isdpAid [APPLICATION 15]
  //   OctetTo16 OPTIONAL, profileState [112] ProfileState OPTIONAL, profileNickname [16]
  //   UTF8String (SIZE(0..64)) OPTIONAL, serviceProviderName [17] UTF8String (SIZE(0..32))
  //   OPTIONAL, profileName [18] UTF8String (SIZE(0..64)) OPTIONAL, iconType [19] IconType
  //   OPTIONAL, icon [20] OCTET STRING (SIZE(0..1024)) OPTIONAL, profileClass [21] ProfileClass
  //   OPTIONAL, notificationConfigurationInfo [22] SEQUENCE OF NotificationConfigurationInformation
  //   OPTIONAL, profileOwner [23] OperatorID OPTIONAL, dpProprietaryData [24] DpProprietaryData
  //   OPTIONAL, profilePolicyRules [25] PprIds OPTIONAL }
  static final Field PROFILE_INFO =
      field(
          "ProfileInfo",
          BERTags.PRIVATE,
          3,
          sequence(
              optional(ICCID),
              optional(app("isdpAid", 15, OCTET_TO_16)),
              optional(ctx("profileState", 112, INTEGER)),
              optional(ctx("profileNickname", 16, UTF8)),
              optional(ctx("serviceProviderName", 17, UTF8)),
              optional(ctx("profileName", 18, UTF8)),
              optional(ctx("iconType", 19, INTEGER)),
              optional(ctx("icon", 20, octets(0, 1024))),
              optional(ctx("profileClass", 21, INTEGER))));

  // ProfileInfoListResponse ::= [45] CHOICE { profileInfoListOk SEQUENCE OF ProfileInfo,
  //   profileInfoListError ProfileInfoListError }  -- automatic tags [0], [1]
  static final Field PROFILE_INFO_LIST_RESPONSE =
      ctx(
          "ProfileInfoListResponse",
          45,
          new Choice(
              ctx("profileInfoListOk", 0, sequenceOf(PROFILE_INFO)),
              ctx("profileInfoListError", 1, INTEGER)));

  // SubjectKeyIdentifier ::= OCTET STRING
  static final Field SKI = untagged("subjectKeyIdentifier", OCTET_STRING);

  // EUICCInfo1 ::= [32] SEQUENCE { svn [2] VersionType, euiccCiPKIdListForVerification [9]
  //   SEQUENCE OF SubjectKeyIdentifier, euiccCiPKIdListForSigning [10] SEQUENCE OF
  //   SubjectKeyIdentifier }
  static final Field EUICC_INFO1 =
      ctx(
          "EUICCInfo1",
          32,
          sequence(
              ctx("svn", 2, VERSION),
              ctx("euiccCiPKIdListForVerification", 9, sequenceOf(SKI)),
              ctx("euiccCiPKIdListForSigning", 10, sequenceOf(SKI))));

  // EUICCInfo2 ::= [34] SEQUENCE { profileVersion [1] VersionType, svn [2] VersionType,
  //   euiccFirmwareVer [3] VersionType, extCardResource [4] OCTET STRING, uiccCapability [5]
  //   UICCCapability, ts102241Version [6] VersionType OPTIONAL, globalplatformVersion [7]
  //   VersionType OPTIONAL, rspCapability [8] RspCapability, euiccCiPKIdListForVerification [9]
  //   SEQUENCE OF SubjectKeyIdentifier, euiccCiPKIdListForSigning [10] SEQUENCE OF
  //   SubjectKeyIdentifier, euiccCategory [11] INTEGER OPTIONAL, forbiddenProfilePolicyRules [25]
  //   PprIds OPTIONAL, ppVersion VersionType, sasAcreditationNumber UTF8String (SIZE(0..64)),
  //   certificationDataObject [12] CertificationDataObject OPTIONAL }
  static final Field EUICC_INFO2 =
      ctx(
          "EUICCInfo2",
          34,
          sequence(
              ctx("profileVersion", 1, VERSION),
              ctx("svn", 2, VERSION),
              ctx("euiccFirmwareVer", 3, VERSION),
              ctx("extCardResource", 4, OCTET_STRING),
              ctx("uiccCapability", 5, BIT_STRING),
              optional(ctx("ts102241Version", 6, VERSION)),
              optional(ctx("globalplatformVersion", 7, VERSION)),
              ctx("rspCapability", 8, BIT_STRING),
              ctx("euiccCiPKIdListForVerification", 9, sequenceOf(SKI)),
              ctx("euiccCiPKIdListForSigning", 10, sequenceOf(SKI)),
              optional(ctx("euiccCategory", 11, INTEGER)),
              optional(ctx("forbiddenProfilePolicyRules", 25, BIT_STRING)),
              untagged("ppVersion", VERSION),
              untagged("sasAcreditationNumber", UTF8)));

  // NotificationMetadata ::= [47] SEQUENCE { seqNumber [0] INTEGER, profileManagementOperation
  //   [1] NotificationEvent, notificationAddress UTF8String, iccid Iccid OPTIONAL }
  static final Field NOTIFICATION_METADATA =
      ctx(
          "NotificationMetadata",
          47,
          sequence(
              ctx("seqNumber", 0, INTEGER),
              ctx("profileManagementOperation", 1, BIT_STRING),
              untagged("notificationAddress", UTF8),
              optional(ICCID)));

  // ListNotificationResponse ::= [40] CHOICE { notificationMetadataList SEQUENCE OF
  //   NotificationMetadata, listNotificationsResultError INTEGER }  -- automatic [0], [1]
  static final Field LIST_NOTIFICATION_RESPONSE =
      ctx(
          "ListNotificationResponse",
          40,
          new Choice(
              ctx("notificationMetadataList", 0, sequenceOf(NOTIFICATION_METADATA)),
              ctx("listNotificationsResultError", 1, INTEGER)));

  // SuccessResult ::= SEQUENCE { aid [APPLICATION 15] OCTET STRING (SIZE (5..16)),
  //   simaResponse OCTET STRING }
  // ErrorResult ::= SEQUENCE { bppCommandId BppCommandId, errorReason ErrorReason, simaResponse
  //   OCTET STRING OPTIONAL }  -- automatic [0], [1], [2]
  static final Type FINAL_RESULT =
      new Choice(
          ctx(
              "successResult",
              0,
              sequence(app("aid", 15, octets(5, 16)), untagged("simaResponse", OCTET_STRING))),
          ctx(
              "errorResult",
              1,
              sequence(
                  ctx("bppCommandId", 0, INTEGER),
                  ctx("errorReason", 1, INTEGER),
                  optional(ctx("simaResponse", 2, OCTET_STRING)))));

  // ProfileInstallationResult ::= [55] SEQUENCE { profileInstallationResultData [39]
  //   ProfileInstallationResultData, euiccSignPIR EuiccSignPIR }
  // ProfileInstallationResultData ::= [39] SEQUENCE { transactionId [0] TransactionId,
  //   notificationMetadata [47] NotificationMetadata, smdpOid OBJECT IDENTIFIER, finalResult [2]
  //   CHOICE { successResult SuccessResult, errorResult ErrorResult } }
  // EuiccSignPIR ::= [APPLICATION 55] OCTET STRING
  static final Field PROFILE_INSTALLATION_RESULT = pir(false);

  /** The same as SGP.22 v2.1 and v3 have it, where smdpOid is absent or OPTIONAL. */
  static final Field PROFILE_INSTALLATION_RESULT_OPTIONAL_OID = pir(true);

  private static Field pir(boolean oidOptional) {
    Field oid = untagged("smdpOid", OID);
    return ctx(
        "ProfileInstallationResult",
        55,
        sequence(
            ctx(
                "profileInstallationResultData",
                39,
                sequence(
                    ctx("transactionId", 0, OCTET_TO_16),
                    NOTIFICATION_METADATA,
                    oidOptional ? optional(oid) : oid,
                    ctx("finalResult", 2, FINAL_RESULT))),
            app("euiccSignPIR", 55, OCTET_STRING)));
  }

  // RetrieveNotificationsListResponse ::= [43] CHOICE { notificationList SEQUENCE OF
  //   PendingNotification, notificationsListResultError INTEGER }  -- automatic [0], [1]
  // PendingNotification ::= CHOICE { profileInstallationResult [55] ProfileInstallationResult,
  //   otherSignedNotification OtherSignedNotification }
  static final Field RETRIEVE_NOTIFICATIONS_LIST_RESPONSE =
      ctx(
          "RetrieveNotificationsListResponse",
          43,
          new Choice(
              ctx("notificationList", 0, sequenceOf(PROFILE_INSTALLATION_RESULT)),
              ctx("notificationsListResultError", 1, INTEGER)));

  // NotificationSentResponse ::= [48] SEQUENCE { deleteNotificationStatus INTEGER }
  static final Field NOTIFICATION_SENT_RESPONSE = result("NotificationSentResponse", 48);
  // EnableProfileResponse ::= [49] SEQUENCE { enableResult INTEGER }
  static final Field ENABLE_PROFILE_RESPONSE = result("EnableProfileResponse", 49);
  // DisableProfileResponse ::= [50] SEQUENCE { disableResult INTEGER }
  static final Field DISABLE_PROFILE_RESPONSE = result("DisableProfileResponse", 50);
  // DeleteProfileResponse ::= [51] SEQUENCE { deleteResult INTEGER }
  static final Field DELETE_PROFILE_RESPONSE = result("DeleteProfileResponse", 51);
  // SetNicknameResponse ::= [41] SEQUENCE { setNicknameResult INTEGER }
  static final Field SET_NICKNAME_RESPONSE = result("SetNicknameResponse", 41);

  private static Field result(String name, int tag) {
    return ctx(name, tag, sequence(ctx("result", 0, INTEGER)));
  }

  // EuiccConfiguredAddressesResponse ::= [60] SEQUENCE { defaultDpAddress UTF8String OPTIONAL,
  //   rootDsAddress UTF8String }  -- automatic [0], [1]
  static final Field EUICC_CONFIGURED_ADDRESSES_RESPONSE =
      ctx(
          "EuiccConfiguredAddressesResponse",
          60,
          sequence(optional(ctx("defaultDpAddress", 0, UTF8)), ctx("rootDsAddress", 1, UTF8)));

  // GetRatResponse ::= [67] SEQUENCE { rat RulesAuthorisationTable }  -- automatic [0]
  // RulesAuthorisationTable ::= SEQUENCE OF ProfilePolicyAuthorisationRule
  static final Field GET_RAT_RESPONSE =
      ctx(
          "GetRatResponse",
          67,
          sequence(
              ctx("rat", 0, sequenceOf(untagged("ProfilePolicyAuthorisationRule", sequence())))));

  // SmdpSigned2 ::= SEQUENCE { transactionId [0] TransactionId, ccRequiredFlag BOOLEAN,
  //   bppEuiccOtpk [APPLICATION 73] OCTET STRING OPTIONAL -- otPK.EUICC.ECKA already used for
  //   binding the BPP, tag '5F49' }   (TransactionId ::= OCTET STRING (SIZE(1..16)))
  // Where SGP.22 carries the one-time key a package is bound to (ES10b.PrepareDownload, BF21).
  static final Field SMDP_SIGNED2 =
      untagged(
          "SmdpSigned2",
          sequence(
              ctx("transactionId", 0, OCTET_TO_16),
              untagged("ccRequiredFlag", Asn1Schema.BOOLEAN),
              optional(app("bppEuiccOtpk", 73, OCTET_STRING))));
}

package org.ifpp.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.StoreMetadataRequest;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.signing.SoftwareSigner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ifpp bind}: binds an unprotected profile package to one eUICC one-time key. */
@Command(
    name = "bind",
    mixinStandardHelpOptions = true,
    description = "Bind a UPP to one eUICC one-time key; writes a DER BoundProfilePackage.")
final class BindCommand implements Callable<Integer> {

  enum Mode {
    session,
    ppk
  }

  /** Exactly one of the two profile inputs. */
  static final class ProfileInput {
    @Option(names = "--upp", required = true, description = "unprotected profile package (DER)")
    Path upp;

    @Option(
        names = "--raw-upp",
        required = true,
        description =
            "opaque bytes bound as they are, no profile checks (recorded sessions of other"
                + " implementations); needs --metadata")
    Path rawUpp;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  ProfileInput profileInput;

  @Spec CommandSpec spec;

  @Option(names = "--otpk-euicc", required = true, description = "otPK.EUICC, 04||X||Y hex")
  String otPkEuicc;

  @Option(names = "--eid", required = true, description = "EID, 32 digits")
  String eid;

  @Option(names = "--host-id", required = true, description = "hostId text (1-16 bytes)")
  String hostId;

  @Option(names = "--signing-key", required = true, description = "binding key (PEM or scalar)")
  Path signingKey;

  @Option(names = "--mode", defaultValue = "ppk", description = "session or ppk (default ppk)")
  Mode mode;

  @Option(names = "--ephemeral-key", description = "fixed otSK.DP (fixtures only)")
  Path ephemeralKey;

  @Option(names = "--transaction-id", description = "fixed transactionId, hex")
  String transactionId;

  @Option(names = "--metadata", description = "StoreMetadataRequest BF25 (DER), used as is")
  Path metadata;

  @Option(names = "--deterministic", description = "RFC 6979 signatures (fixtures)")
  boolean deterministic;

  @Option(names = "--curve", description = "curve of raw scalar keys (default: p256)")
  String curveName;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "output file")
  Path output;

  @Override
  public Integer call() {
    SecureRandom random = new SecureRandom();
    Curve fallback = curveName == null ? Curve.P256 : parseCurve(curveName);
    Signer signer;
    try (KeyFiles.PrivateScalar key = KeyFiles.read(signingKey)) {
      Curve curve = key.curveOr(fallback);
      signer =
          deterministic
              ? SoftwareSigner.deterministicFromScalar(curve, key.scalar())
              : SoftwareSigner.fromScalar(curve, key.scalar(), random);
    }
    EcPublicKey otPk;
    Eid target;
    HostId host;
    try {
      otPk = EcPublicKey.fromUncompressed(signer.curve(), Io.hex(otPkEuicc, "--otpk-euicc"));
      target = Eid.of(eid);
      host = HostId.ofText(hostId);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    if (profileInput.rawUpp != null && metadata == null) {
      throw new CliException("--raw-upp needs --metadata (the ICCID comes from it)");
    }
    try (UnprotectedProfilePackage profile = profile()) {
      BoundProfilePackageBuilder builder =
          BoundProfilePackageBuilder.bind(signer, host, target, otPk).random(random);
      if (transactionId != null) {
        builder.transactionId(parseTransactionId(transactionId));
      }
      if (metadata != null) {
        builder.metadata(StoreMetadataRequest.parse(Io.read(metadata, "metadata")));
      }
      if (ephemeralKey != null) {
        try (KeyFiles.PrivateScalar eph = KeyFiles.read(ephemeralKey)) {
          builder.ephemeralKey(
              OneTimeKeyPair.fromPrivateScalar(eph.curveOr(signer.curve()), eph.scalar()));
        }
      }
      BoundProfilePackage bpp;
      if (mode == Mode.session) {
        bpp = builder.sessionKeyMode(profile).build();
      } else {
        try (ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
          bpp = builder.ppkMode(ProtectedProfilePackage.protect(profile, ppks), ppks).build();
        }
      }
      Io.writeAtomically(output, bpp.encode());
      return 0;
    } catch (ProfilePackageException e) {
      throw new CliException("invalid input: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  private UnprotectedProfilePackage profile() throws ProfilePackageException {
    if (profileInput.upp != null) {
      return UnprotectedProfilePackage.parse(Io.read(profileInput.upp, "profile"));
    }
    StoreMetadataRequest meta = StoreMetadataRequest.parse(Io.read(metadata, "metadata"));
    spec.commandLine()
        .getErr()
        .println(
            "ifpp bind: warning: --raw-upp: the bytes are bound as they are; no profile checks ran");
    return UnprotectedProfilePackage.opaque(Io.read(profileInput.rawUpp, "profile"), meta.iccid());
  }

  static Curve parseCurve(String name) {
    try {
      return Curve.parse(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  private static TransactionId parseTransactionId(String hex) {
    try {
      return TransactionId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }
}

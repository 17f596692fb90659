package org.ifpp.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.BoundProfilePackageDecoder;
import org.ifpp.crypto.bpp.BppDecodeException;
import org.ifpp.crypto.bpp.DecodedBoundProfilePackage;
import org.ifpp.crypto.bpp.InitialiseSecureChannelRequest;
import org.ifpp.crypto.bpp.ProfilePackageException;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.bsp.BspKdf;
import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.Ecka;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.EcdsaVerification;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ifpp open}: verifies and decrypts a Bound Profile Package, from the eUICC side ({@code
 * --otsk-euicc}) or from the server side ({@code --otsk-dp} with {@code --otpk-euicc}, e.g. to
 * analyse a trace). Writes the UPP only if every check passed; writes nothing otherwise.
 */
@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description = "Verify and decrypt a BoundProfilePackage; writes the UPP.")
final class OpenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bpp", required = true, description = "DER BoundProfilePackage")
  Path bppFile;

  @Option(names = "--eid", required = true, description = "EID, 32 digits")
  String eid;

  @Option(names = "--host-id", required = true, description = "hostId text")
  String hostId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeySide side;

  static final class KeySide {
    @Option(names = "--otsk-euicc", description = "the eUICC's one-time private key")
    Path otSkEuicc;

    @ArgGroup(exclusive = false)
    ServerSide server;
  }

  static final class ServerSide {
    @Option(names = "--otsk-dp", required = true, description = "the Key Maker's ephemeral key")
    Path otSkDp;

    @Option(names = "--otpk-euicc", required = true, description = "otPK.EUICC, 04||X||Y hex")
    String otPkEuicc;
  }

  @Option(names = "--dp-cert", description = "Key Maker binding certificate (DER)")
  Path dpCert;

  @Option(names = "--ci", description = "trusted CI certificate (DER), repeatable")
  List<Path> ciCerts;

  @Option(names = "--curve", description = "curve of raw scalar keys (default: p256)")
  String curveName;

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "output UPP file")
  Path output;

  @Override
  public Integer call() {
    Eid target;
    HostId host;
    try {
      target = Eid.of(eid);
      host = HostId.ofText(hostId);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    BoundProfilePackage bpp;
    try {
      bpp = BoundProfilePackage.parse(Io.read(bppFile, "package"));
    } catch (ProfilePackageException e) {
      throw new CliException("not a valid BoundProfilePackage: " + e.getMessage());
    }
    InitialiseSecureChannelRequest isc = bpp.initialiseSecureChannel();
    if (isc.remoteOpId() != InitialiseSecureChannelRequest.REMOTE_OP_INSTALL_BPP) {
      throw new CliException("rejected: unsupportedRemoteOperationType");
    }
    if (isc.keyType() != BspKdf.KEY_TYPE_AES || isc.keyLength() != BspKdf.KEY_LENGTH) {
      throw new CliException("rejected: unsupportedCrtValues");
    }
    if (!Arrays.equals(isc.hostId().toBytes(), host.toBytes())) {
      throw new CliException("rejected: the package's hostId differs from --host-id");
    }
    Curve fallback = curveName == null ? Curve.P256 : BindCommand.parseCurve(curveName);
    try (Agreement agreement = agree(isc, fallback)) {
      verifyOrigin(isc, agreement.otPkEuicc);
      try (SessionKeys keys = BspKdf.derive(agreement.z, host, target);
          DecodedBoundProfilePackage decoded = BoundProfilePackageDecoder.decode(bpp, keys)) {
        byte[] plain = decoded.profile().toByteArray(SecretAccess.GRANTED);
        try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(plain)) {
          if (!upp.iccid().equals(decoded.storeMetadata().iccid())) {
            throw new CliException("rejected: installFailedDueToDataMismatch (metadata ICCID)");
          }
          Io.writeAtomically(output, plain);
          spec.commandLine()
              .getErr()
              .println(
                  "opened: ICCID "
                      + upp.iccid()
                      + ", "
                      + (decoded.ppkMode() ? "PPK" : "session-key")
                      + " mode, "
                      + plain.length
                      + " bytes");
        } finally {
          Arrays.fill(plain, (byte) 0);
        }
      }
    } catch (BppDecodeException e) {
      // MAC, decryption and padding failures look the same from outside.
      throw new CliException("rejected: " + e.kind() + " in " + e.commandId());
    } catch (ProfilePackageException e) {
      throw new CliException("rejected: decrypted profile is malformed: " + e.code());
    }
    return 0;
  }

  /** The shared secret Z and the otPK.EUICC that smdpSign must name. */
  private record Agreement(SecretBytes z, EcPublicKey otPkEuicc) implements AutoCloseable {
    @Override
    public void close() {
      z.close();
    }
  }

  private Agreement agree(InitialiseSecureChannelRequest isc, Curve fallback) {
    try {
      if (side.otSkEuicc != null) {
        try (KeyFiles.PrivateScalar k = KeyFiles.read(side.otSkEuicc);
            OneTimeKeyPair own =
                OneTimeKeyPair.fromPrivateScalar(k.curveOr(fallback), k.scalar())) {
          EcPublicKey otPkDp = EcPublicKey.fromUncompressed(own.curve(), isc.otPkDpBytes());
          return new Agreement(Ecka.sharedSecret(own, otPkDp), own.publicKey());
        }
      }
      try (KeyFiles.PrivateScalar k = KeyFiles.read(side.server.otSkDp);
          OneTimeKeyPair dp = OneTimeKeyPair.fromPrivateScalar(k.curveOr(fallback), k.scalar())) {
        if (!Arrays.equals(dp.publicKey().toUncompressed(), isc.otPkDpBytes())) {
          throw new CliException("rejected: --otsk-dp does not match the package's otPK.DP");
        }
        EcPublicKey otPkEuicc =
            EcPublicKey.fromUncompressed(dp.curve(), Io.hex(side.server.otPkEuicc, "--otpk-euicc"));
        return new Agreement(Ecka.sharedSecret(dp, otPkEuicc), otPkEuicc);
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  private void verifyOrigin(InitialiseSecureChannelRequest isc, EcPublicKey otPkEuicc) {
    if (dpCert == null) {
      spec.commandLine()
          .getErr()
          .println("warning: no --dp-cert: the package's origin (smdpSign) is NOT verified");
      return;
    }
    EcPublicKey signingKey = BindingCertificates.validate(dpCert, ciCerts);
    if (!EcdsaVerification.verifyRaw(signingKey, isc.signedData(otPkEuicc), isc.signature())) {
      throw new CliException("rejected: invalidSignature (smdpSign)");
    }
  }
}

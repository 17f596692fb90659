package org.ifpp.broker.batches;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.broker.web.Headers;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.Fingerprint;
import org.ifpp.web.idempotency.Fingerprinted;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upload in binary form, {@value #MEDIA_TYPE}: the same batch as the JSON form without base64
 * (a third smaller on the wire, and neither side encodes or decodes 3 MB of text per upload).
 *
 * <pre>
 * body    = headerLength header package*
 * headerLength = 4 bytes, unsigned big-endian, 1 .. 1 MiB
 * header  = the JSON upload request (UTF-8) whose packages carry no boundProfilePackage
 * package = one BoundProfilePackage (BF36 BER-TLV, definite length), in the order of
 *           header.packages; nothing follows the last one
 * </pre>
 *
 * Its Idempotency-Key fingerprint is the whole body, byte for byte.
 */
record PackageBatchBody(UploadBatchRequest header, List<byte[]> packages, byte[] body)
    implements Fingerprinted {

  static final String MEDIA_TYPE = Headers.PACKAGE_BATCH;
  private static final int MAX_HEADER = 1 << 20;

  @Override
  public void fingerprint(Fingerprint into) {
    into.bytes(body);
  }

  /** Splits {@code body}; a malformed body is 400 {@code malformed-batch-body}. */
  static PackageBatchBody parse(byte[] body, JsonMapper json) {
    if (body == null || body.length < 4) {
      throw malformed("shorter than its header length");
    }
    long headerLength =
        ((body[0] & 0xFFL) << 24)
            | ((body[1] & 0xFF) << 16)
            | ((body[2] & 0xFF) << 8)
            | body[3] & 0xFF;
    if (headerLength < 1 || headerLength > MAX_HEADER || headerLength > body.length - 4) {
      throw malformed("header length out of range");
    }
    int h = (int) headerLength;
    UploadBatchRequest header;
    try {
      header = json.readValue(body, 4, h, UploadBatchRequest.class);
    } catch (JacksonException e) {
      throw malformed("header is not an upload request (JSON)");
    }
    if (header == null) {
      throw malformed("header is not an upload request (JSON)");
    }
    List<byte[]> packages = new ArrayList<>();
    int at = 4 + h;
    while (at < body.length) {
      int end = endOfTlv(body, at);
      packages.add(Arrays.copyOfRange(body, at, end));
      at = end;
    }
    return new PackageBatchBody(header, packages, body);
  }

  /** The end of the BER-TLV at {@code at} (tag, definite length, value), within {@code b}. */
  private static int endOfTlv(byte[] b, int at) {
    int i = at;
    if ((b[i++] & 0x1F) == 0x1F) { // multi-byte tag
      int n = 0;
      while (true) {
        if (i >= b.length || ++n > 3) {
          throw malformed("package " + "at byte " + at + ": bad tag");
        }
        if ((b[i++] & 0x80) == 0) {
          break;
        }
      }
    }
    if (i >= b.length) {
      throw malformed("package at byte " + at + ": no length");
    }
    int first = b[i++] & 0xFF;
    long length;
    if (first < 0x80) {
      length = first;
    } else {
      int n = first & 0x7F;
      if (n < 1 || n > 3 || i + n > b.length) {
        throw malformed("package at byte " + at + ": bad length");
      }
      length = 0;
      for (int k = 0; k < n; k++) {
        length = (length << 8) | (b[i++] & 0xFF);
      }
    }
    if (length > b.length - i) {
      throw malformed("package at byte " + at + ": longer than the body");
    }
    return (int) (i + length);
  }

  private static DomainException malformed(String why) {
    return new DomainException(BrokerError.MALFORMED_BATCH_BODY, MEDIA_TYPE + ": " + why);
  }
}

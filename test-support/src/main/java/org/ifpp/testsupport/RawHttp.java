package org.ifpp.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Raw bytes to a local server and its answer as text, for requests no HTTP client would send (a
 * declared body never sent, an encoded slash, an oversized header): what Tomcat itself answers.
 */
public final class RawHttp {

  private RawHttp() {}

  /**
   * Sends {@code request} (ASCII) to {@code localhost:port} and reads the answer until it is
   * complete (a JSON body, or the last chunk of a chunked one) or the server goes quiet for 5 s.
   */
  public static String exchange(int port, String request) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = socket.getInputStream().read(buf)) > 0) {
          got.write(buf, 0, n);
          String text = got.toString(StandardCharsets.UTF_8);
          if (text.contains("}") && (text.endsWith("0\r\n\r\n") || text.endsWith("}"))) {
            break;
          }
        }
      } catch (SocketTimeoutException quiet) {
        // the server keeps the connection open for the body it will discard
      }
      return got.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

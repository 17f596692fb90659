package org.ifpp.line.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The line's HTTP/1.1 client against a raw socket server that writes exactly the bytes scripted.
 */
class ApacheHttpTransportTest {

  /** What the scripted server saw of one request. */
  record Seen(int connection, String head, byte[] body) {}

  /** Answers one request: the raw bytes to write, or null to close the connection silently. */
  @FunctionalInterface
  interface Script {
    String answer(Seen request, int index) throws Exception;
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ApacheHttpTransport client =
      new ApacheHttpTransport(Duration.ofSeconds(2), 8, Duration.ofSeconds(20));

  @AfterEach
  void stop() throws Exception {
    client.close();
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private URI server(Script script) throws IOException {
    ServerSocket server = new ServerSocket(0);
    closeables.add(server);
    AtomicInteger index = new AtomicInteger();
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  closeables.add(s);
                  int id = connections.incrementAndGet();
                  Thread t = new Thread(() -> serve(s, id, script, index));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void serve(Socket s, int id, Script script, AtomicInteger index) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String l : head.split("\r\n")) {
          if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(l.substring(15).trim());
          }
        }
        Seen r = new Seen(id, head, in.readNBytes(length));
        seen.add(r);
        String answer = script.answer(r, index.getAndIncrement());
        if (answer == null) {
          return;
        }
        try {
          out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } finally {
          answered.incrementAndGet(); // written, or the client was gone
        }
        boolean delimited = answer.contains("Content-Length") || answer.contains("chunked");
        if (answer.contains("Connection: close") || !delimited) {
          return;
        }
      }
    } catch (Exception e) {
      // the test's client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private Response get(URI base, String path) throws IOException {
    return client.exchange(
        Request.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(2)).build());
  }

  @Test
  void keepAlive_reusesOneConnection_forSequentialCalls() throws Exception {
    URI base = server((r, i) -> ok("answer-" + i));

    for (int i = 0; i < 5; i++) {
      assertThat(get(base, "/x?i=" + i).bodyText()).isEqualTo("answer-" + i);
    }

    assertThat(connections).hasValue(1);
    assertThat(seen.get(2).head())
        .startsWith("GET /x?i=2 HTTP/1.1\r\n")
        .contains("Host: 127.0.0.1:" + base.getPort() + "\r\n");
  }

  @Test
  void postBody_isSentWithItsContentLength_andHeadersAsGiven() throws Exception {
    URI base = server((r, i) -> ok(new String(r.body(), StandardCharsets.UTF_8).toUpperCase()));
    byte[] body = new byte[20_000];
    java.util.Arrays.fill(body, (byte) 'a');

    Response response =
        client.exchange(
            Request.newBuilder(base.resolve("/load"))
                .header("X-Line-Id", "line-1")
                .post(body)
                .build());

    assertThat(response.bodyText()).hasSize(20_000).startsWith("AAAA");
    assertThat(seen.get(0).head())
        .startsWith("POST /load HTTP/1.1\r\n")
        .contains("X-Line-Id: line-1\r\n")
        .contains("Content-Length: 20000\r\n");
  }

  @Test
  void chunkedAnswer_isReassembled_withExtensionsAndTrailers() throws Exception {
    URI base =
        server(
            (r, i) ->
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Transaction-Id: t-1\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n"
                    + "7\r\n, world\r\n"
                    + "0\r\nX-Trailer: yes\r\n\r\n");

    Response first = get(base, "/a");
    Response second = get(base, "/b");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.bodyText()).isEqualTo("hello, world");
    assertThat(first.header("x-transaction-id")).contains("t-1");
    assertThat(second.bodyText()).isEqualTo("hello, world");
    assertThat(connections).hasValue(1);
  }

  @Test
  void connectionClose_isHonoured_andTheNextCallOpensANewConnection() throws Exception {
    URI base =
        server((r, i) -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");

    assertThat(get(base, "/1").bodyText()).isEqualTo("ok");
    assertThat(get(base, "/2").bodyText()).isEqualTo("ok");

    assertThat(connections).hasValue(2);
  }

  @Test
  void answerWithoutLength_isReadToTheEndOfTheConnection_whichIsNotReused() throws Exception {
    URI base =
        server((r, i) -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it " + i);

    assertThat(get(base, "/").bodyText()).isEqualTo("all of it 0");
    assertThat(get(base, "/").bodyText()).isEqualTo("all of it 1");
    assertThat(connections).hasValue(2);
  }

  @Test
  void interimAnswer_isSkipped() throws Exception {
    URI base = server((r, i) -> "HTTP/1.1 100 Continue\r\n\r\n" + ok("final"));

    Response response = get(base, "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo("final");
  }

  @Test
  void noAnswerInTime_timesOut_andTheConnectionIsNotReused() throws Exception {
    URI base =
        server(
            (r, i) -> {
              if (i == 0) {
                Thread.sleep(600);
                return ok("late");
              }
              return ok("fresh");
            });

    assertThatThrownBy(
            () ->
                client.exchange(
                    Request.newBuilder(base.resolve("/")).timeout(Duration.ofMillis(200)).build()))
        .isInstanceOf(SocketTimeoutException.class);
    // The late answer is on its way (or refused by a closed connection) before the next request.
    await().atMost(Duration.ofSeconds(5)).until(() -> answered.get() == 1);

    // A reused connection would deliver the first request's late answer here.
    assertThat(get(base, "/").bodyText()).isEqualTo("fresh");
    assertThat(connections).hasValue(2);
  }

  @Test
  void connectionClosedBeforeTheAnswer_isAnIoFailure() throws Exception {
    URI base = server((r, i) -> null);

    assertThatThrownBy(() -> get(base, "/")).isInstanceOf(IOException.class);
  }

  @Test
  void truncatedBody_isAnIoFailure_notAShortAnswer() throws Exception {
    URI base =
        server((r, i) -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nabc");

    assertThatThrownBy(() -> get(base, "/")).isInstanceOf(IOException.class);
  }

  @Test
  void idleConnectionClosedByTheServer_isDetected_andReplacedBeforeUse() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI base =
        server(
            (r, i) -> {
              calls.incrementAndGet();
              return ok("n" + i);
            });
    assertThat(get(base, "/").bodyText()).isEqualTo("n0");
    // The server drops the idle connection (its keep-alive timeout).
    for (AutoCloseable c : closeables) {
      if (c instanceof Socket s) {
        s.close();
      }
    }
    Thread.sleep(1_200);

    assertThat(get(base, "/").bodyText()).isEqualTo("n1");
    assertThat(connections).hasValue(2);
  }

  @Test
  void headerInjection_isRefused_withoutEchoingTheValue() {
    Request.Builder b = Request.newBuilder(URI.create("http://127.0.0.1:1/"));

    assertThatThrownBy(() -> b.header("Authorization", "Bearer s3cret\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> b.header("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.header("Content-Length", "5"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parallelCallers_eachGetTheirOwnAnswer() throws Exception {
    URI base = server((r, i) -> ok(r.head().split(" ")[1]));
    List<Thread> threads = new ArrayList<>();
    List<String> wrong = new CopyOnWriteArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      threads.add(
          new Thread(
              () -> {
                for (int k = 0; k < 50; k++) {
                  String path = "/t" + id + "-" + k;
                  try {
                    String body = get(base, path).bodyText();
                    if (!body.equals(path)) {
                      wrong.add(path + " got " + body);
                    }
                  } catch (IOException e) {
                    wrong.add(path + " failed");
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(wrong).isEmpty();
    assertThat(connections.get()).isLessThanOrEqualTo(8);
  }
}

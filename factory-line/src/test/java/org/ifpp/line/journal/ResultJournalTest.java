package org.ifpp.line.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJournalTest {

  @TempDir Path dir;

  private static final Eid UNREACHABLE = Eid.withCheckDigits("890490321234512345000000000099");
  private static final Eid REMOVED = Eid.withCheckDigits("890490321234512345000000000098");

  /**
   * A journal as a line of before typed EIDs left it, and as this one must go on writing it (the
   * CRC-32Cs computed apart from the code under test): a result, a reason for a chip named by
   * something that is not an EID (an eids-file line taken unchecked), another result, an answer, a
   * reason.
   */
  private static final String EXISTING =
      """
      R 0000000000000000000000000000000A 89049032123450000000000000000109 I vzcCAQA= 397cc26f
      N E1 NOT_ATTEMPTED d13da3c9
      R 0000000000000000000000000000000B 89049032123450000000000000000206 F vzcCAgA= 1304bf89
      A 0000000000000000000000000000000A 8161450e
      N 89049032123450000000000000000303 UNREACHABLE e72f6bdc
      """;

  /** The same after its compaction at open: the foreign record as it was, first. */
  private static final String COMPACTED =
      """
      N E1 NOT_ATTEMPTED d13da3c9
      D 0000000000000000000000000000000A 89049032123450000000000000000109 I vzcCAQA= b3b271d4
      R 0000000000000000000000000000000B 89049032123450000000000000000206 F vzcCAgA= 1304bf89
      N 89049032123450000000000000000303 UNREACHABLE e72f6bdc
      """;

  @Test
  void anExistingJournal_readsAsBefore_andARecordNamingNoEid_isKeptAsItIs() throws Exception {
    Files.writeString(dir.resolve("line-1.journal"), EXISTING, StandardCharsets.US_ASCII);
    Eid first = Eid.withCheckDigits("890490321234500000000000000001");
    Eid second = Eid.withCheckDigits("890490321234500000000000000002");

    ResultJournal.Recorded read = ResultJournal.read(dir, "line-1");
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (ResultJournal.Recorded r : List.of(read, j.recorded())) {
        assertThat(r.results()).containsOnlyKeys(first, second);
        assertThat(r.results().get(first).transactionId().toHex())
            .isEqualTo("0000000000000000000000000000000A");
        assertThat(r.results().get(first).installed()).isTrue();
        assertThat(r.results().get(first).pir()).isEqualTo(pir(1));
        assertThat(r.reasons())
            .containsOnly(
                java.util.Map.entry(
                    Eid.withCheckDigits("890490321234500000000000000003"),
                    NoResultReason.UNREACHABLE));
      }
      assertThat(j.pending())
          .containsExactly(
              new JournalEntry(
                  TransactionId.fromHex("0000000000000000000000000000000B"),
                  second,
                  false,
                  pir(2)));
    }
    assertThat(Files.readString(dir.resolve("line-1.journal"), StandardCharsets.US_ASCII))
        .isEqualTo(COMPACTED);
  }

  private static JournalEntry entry(int i) {
    return new JournalEntry(
        TransactionId.fromHex(String.format("%032X", i)),
        Eid.withCheckDigits(String.format("8904903212345%017d", i)),
        i % 2 == 0,
        pir(i));
  }

  private static byte[] pir(int i) {
    return new byte[] {(byte) 0xBF, 0x37, 2, (byte) i, (byte) (i >> 8)};
  }

  @Test
  void unacknowledgedResults_surviveAReopen_inOrder_andAcknowledgedOnesDoNot() {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < 5; i++) {
        j.append(entry(i));
      }
      j.acknowledge(entry(1).transactionId());
      j.acknowledge(entry(3).transactionId());
    }
    // As after a crash: a new process opens the same file.
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending()).containsExactly(entry(0), entry(2), entry(4));
      assertThat(j.pending().get(1).pir()).isEqualTo(pir(2));
    }
  }

  @Test
  void aGroupsAnswers_areWrittenOnceEach_withTheRecordFormatOfBefore() throws Exception {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < 5; i++) {
        j.append(entry(i));
      }
      // An unknown transaction and one named twice are not acknowledged again.
      j.acknowledgeAll(
          List.of(
              entry(1).transactionId(),
              entry(3).transactionId(),
              entry(9).transactionId(),
              entry(1).transactionId()));
      List<String> answers =
          Files.readAllLines(dir.resolve("line-1.journal"), StandardCharsets.US_ASCII).stream()
              .filter(l -> l.startsWith("A "))
              .toList();
      // Each record's CRC-32C as eight lower-case hex digits, as String.format wrote it before:
      // journals of earlier runs still read.
      List<String> expected = new ArrayList<>();
      for (int i : new int[] {1, 3}) {
        String body = "A " + entry(i).transactionId().toHex();
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        expected.add(body + " " + String.format("%08x", crc.getValue()));
      }
      assertThat(answers).containsExactlyElementsOf(expected);
    }
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending()).containsExactly(entry(0), entry(2), entry(4));
    }
  }

  @Test
  void aResultIsInTheFile_whenAppendReturns_asAKilledProcessLeavesIt() throws Exception {
    ResultJournal j = ResultJournal.open(dir, "line-1");
    j.append(entry(7));
    // No close, no flush: what a kill -9 right after append leaves.
    String text = Files.readString(dir.resolve("line-1.journal"), StandardCharsets.US_ASCII);
    assertThat(text).startsWith("R " + entry(7).transactionId() + " ").endsWith("\n");
    try (ResultJournal again = ResultJournal.open(dir, "line-1")) {
      assertThat(again.pending()).containsExactly(entry(7));
    }
    j.close();
  }

  @Test
  void aTornOrDamagedLastRecord_isCutOff_andWhatCameBeforeIsKept() throws Exception {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      j.append(entry(1));
      j.append(entry(2));
    }
    Path file = dir.resolve("line-1.journal");
    // A crash in the middle of the third record's write.
    Files.writeString(file, "R 00AB 8904 I QkYz", StandardOpenOption.APPEND);
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending()).containsExactly(entry(1), entry(2));
    }
    // A flipped byte in the second record: its CRC fails, it and what follows are dropped.
    String text = Files.readString(file);
    int second = text.indexOf('\n') + 1;
    char[] c = text.toCharArray();
    c[second + 40] = c[second + 40] == 'A' ? 'B' : 'A';
    Files.writeString(file, new String(c));
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending()).containsExactly(entry(1));
    }
  }

  @Test
  void theSameResultTwice_isJournalledOnce() throws Exception {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      j.append(entry(1));
      j.append(entry(1));
      assertThat(j.pending()).hasSize(1);
    }
    assertThat(Files.readAllLines(dir.resolve("line-1.journal"))).hasSize(1);
  }

  @Test
  void answeredResults_areCompactedToOneDeliveredRecordEach() throws Exception {
    int n = ResultJournal.COMPACT_AFTER + 10;
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < n; i++) {
        j.append(entry(i));
        if (i != 3) {
          j.acknowledge(entry(i).transactionId());
        }
      }
      assertThat(j.pending()).containsExactly(entry(3));
    }
    // At the next open: one record per result, answered ones kept as delivered (the report's).
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending()).containsExactly(entry(3));
      assertThat(j.recorded().results()).hasSize(n);
    }
    List<String> records = Files.readAllLines(dir.resolve("line-1.journal"));
    assertThat(records).hasSize(n);
    assertThat(records).filteredOn(r -> r.startsWith("R ")).hasSize(1);
  }

  @Test
  void concurrentStations_loseNoResult() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  j.append(entry(n));
                  if (n % 4 != 0) {
                    j.acknowledge(entry(n).transactionId());
                  }
                }));
      }
      for (var f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending())
          .hasSize(100)
          .allMatch(e -> Integer.parseInt(e.transactionId().toHex(), 16) % 4 == 0);
    }
  }

  @Test
  void theJournalHoldsOnlyPublicData_andRefusesWhatCouldBreakARecord() throws Exception {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      j.append(entry(5));
    }
    String text = Files.readString(dir.resolve("line-1.journal"));
    // transactionId, EID, outcome, the signed result (base64), a CRC: nothing else.
    assertThat(text.strip().split(" ")).hasSize(6);
    Eid eid = entry(1).eid();
    assertThatThrownBy(() -> new JournalEntry(TransactionId.fromHex("AB CD"), eid, true, pir(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JournalEntry(TransactionId.fromHex("ABCD"), null, true, pir(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new JournalEntry(TransactionId.fromHex("ABCD"), eid, true, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultJournal.open(dir, "../escape"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deliveredResultsAndReasons_stayForTheLoadingReport_acrossCompactionAndReopen() {
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < 4; i++) {
        j.append(entry(i));
        j.acknowledge(entry(i).transactionId());
      }
      j.noResult(UNREACHABLE, NoResultReason.UNREACHABLE);
      j.noResult(REMOVED, NoResultReason.NOT_ATTEMPTED);
      j.noResult(REMOVED, NoResultReason.REMOVED);
      // A later result of the same chip (after a re-bind) replaces the earlier one.
      JournalEntry later =
          new JournalEntry(TransactionId.fromHex("ABCD"), entry(2).eid(), true, pir(99));
      j.append(later);
    }
    // Read while nobody changes the file, then after a reopen (compaction).
    ResultJournal.Recorded read = ResultJournal.read(dir, "line-1");
    ResultJournal.Recorded reopened;
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      assertThat(j.pending())
          .extracting(JournalEntry::transactionId)
          .containsExactly(TransactionId.fromHex("ABCD"));
      reopened = j.recorded();
    }
    for (ResultJournal.Recorded r : List.of(read, reopened, ResultJournal.read(dir, "line-1"))) {
      assertThat(r.results()).hasSize(4);
      assertThat(r.results().get(entry(1).eid())).isEqualTo(entry(1));
      assertThat(r.results().get(entry(2).eid()).transactionId().toHex()).isEqualTo("ABCD");
      assertThat(r.reasons())
          .containsEntry(UNREACHABLE, NoResultReason.UNREACHABLE)
          .containsEntry(REMOVED, NoResultReason.REMOVED);
    }
    assertThat(ResultJournal.lines(dir)).containsExactly("line-1");
  }

  @Test
  void anAcceptedReport_prunesWhatItCarried_andTheOrdersNextReportStartsFromIt() throws Exception {
    Eid unreachable = UNREACHABLE;
    Eid removed = REMOVED;
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < 5; i++) {
        j.append(entry(i));
        if (i < 4) {
          j.acknowledge(entry(i).transactionId()); // the fifth is still unanswered
        }
      }
      j.noResult(unreachable, NoResultReason.UNREACHABLE);
      j.noResult(removed, NoResultReason.REMOVED);
    }
    java.util.UUID order = java.util.UUID.randomUUID();
    List<Eid> eids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      eids.add(entry(i).eid());
    }
    eids.add(unreachable);
    eids.add(removed);
    org.ifpp.line.report.LoadingReport first =
        org.ifpp.line.report.LoadingReport.fromJournals(order, eids, dir, java.util.Map.of());
    AcceptedReports.keep(dir, order, first.json());
    // After the report: chip 1 re-bound and loaded again, the removed chip found damaged.
    JournalEntry later =
        new JournalEntry(TransactionId.fromHex("ABCD"), entry(1).eid(), true, pir(99));
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      j.append(later);
      j.acknowledge(TransactionId.fromHex("ABCD"));
      j.noResult(removed, NoResultReason.DAMAGED);
    }

    // The next open drops the delivered results and the reason the report carried, keeps the
    // unanswered result, the later result and the changed reason; once, and for good.
    for (int round = 0; round < 2; round++) {
      try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
        ResultJournal.Recorded r = j.recorded();
        assertThat(r.results())
            .containsOnlyKeys(entry(1).eid(), entry(4).eid())
            .containsEntry(entry(1).eid(), later);
        assertThat(r.reasons()).containsOnly(java.util.Map.entry(removed, NoResultReason.DAMAGED));
        assertThat(j.pending()).containsExactly(entry(4));
      }
    }
    assertThat(Files.readString(dir.resolve("line-1.journal"))).contains("P " + order + " ");

    // The order's report made again: the pruned entries come from the accepted report.
    org.ifpp.line.report.LoadingReport again =
        org.ifpp.line.report.LoadingReport.fromJournals(order, eids, dir, java.util.Map.of());
    java.util.Map<Eid, org.ifpp.line.report.LoadingReport.Entry> byEid = new java.util.HashMap<>();
    again.devices().forEach(e -> byEid.put(e.eid(), e));
    for (int i : new int[] {0, 2, 3, 4}) {
      assertThat(byEid.get(entry(i).eid()).result()).isEqualTo(entry(i));
    }
    assertThat(byEid.get(entry(1).eid()).result()).isEqualTo(later);
    assertThat(byEid.get(unreachable).reason()).isEqualTo(NoResultReason.UNREACHABLE);
    assertThat(byEid.get(removed).reason()).isEqualTo(NoResultReason.DAMAGED);
  }

  @Test
  void answersOutnumberingTheKeptResults_compactTheFileDuringTheRun() throws Exception {
    int n = ResultJournal.COMPACT_AFTER * 2;
    try (ResultJournal j = ResultJournal.open(dir, "line-1")) {
      for (int i = 0; i < n; i++) {
        // Ten chips, each with many results in turn (re-bound again and again).
        JournalEntry e =
            new JournalEntry(
                TransactionId.fromHex(String.format("%032X", i)),
                entry(i % 10).eid(),
                true,
                pir(i));
        j.append(e);
        j.acknowledge(e.transactionId());
      }
      assertThat(j.recorded().results()).hasSize(10);
      assertThat(Files.readAllLines(dir.resolve("line-1.journal")).size())
          .isLessThan(ResultJournal.COMPACT_AFTER + 20);
    }
    assertThat(
            ResultJournal.read(dir, "line-1").results().get(entry(5).eid()).transactionId().toHex())
        .isEqualTo(String.format("%032X", (n - 1 - 5) / 10 * 10 + 5)); // its last result
  }
}

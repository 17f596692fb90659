package org.ifpp.euicc.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Es10bSegmentAssemblerTest {

  /** The 12 KB BoundProfilePackage of pySim's fullBppDecode vector (real LPA input). */
  static byte[] pysimBpp() throws Exception {
    String json =
        Files.readString(
            Path.of(System.getProperty("ifpp.test-data.dir"), "sgp22/bsp-known-answers.json"));
    Matcher m = Pattern.compile("\"boundProfilePackageBase64\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertThat(m.find()).isTrue();
    return Base64.getDecoder().decode(m.group(1));
  }

  @Test
  void lpacStyleSegments_reassembleToThePackage() throws Exception {
    byte[] bpp = pysimBpp();
    List<byte[]> segments = Es10bSegmenter.split(bpp);
    // BF36+BF23, A0, A1 header, 88..., A2?, A3 header, 86...
    assertThat(segments.get(0)[0] & 0xFF).isEqualTo(0xBF);
    assertThat(segments.get(1)[0] & 0xFF).isEqualTo(0xA0);
    assertThat(segments.get(2)[0] & 0xFF).isEqualTo(0xA1);
    assertThat(segments.size()).isGreaterThan(10);

    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    for (int i = 0; i < segments.size(); i++) {
      assertThat(assembler.isComplete()).isFalse();
      assembler.accept(segments.get(i));
    }
    assertThat(assembler.isComplete()).isTrue();
    java.io.ByteArrayOutputStream concatenated = new java.io.ByteArrayOutputStream();
    segments.forEach(concatenated::writeBytes);
    assertThat(concatenated.toByteArray()).isEqualTo(bpp);
    assertThat(assembler.segmentCount()).isEqualTo(segments.size());
  }

  @Test
  void segmentsOutOfOrder_areRejected() throws Exception {
    List<byte[]> segments = Es10bSegmenter.split(pysimBpp());
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    assembler.accept(segments.get(0));
    assertThatThrownBy(() -> assembler.accept(segments.get(2)))
        .isInstanceOf(SegmentationException.class)
        .extracting("code")
        .isEqualTo("unexpected-segment");
    assertThat(assembler.state()).isEqualTo(Es10bSegmentAssembler.State.FAILED);
    assertThatThrownBy(() -> assembler.accept(segments.get(1)))
        .extracting("code")
        .isEqualTo("session-closed");
  }

  @Test
  void wholePackageAsFirstSegment_isRejected() throws Exception {
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    assertThatThrownBy(() -> assembler.accept(pysimBpp()))
        .isInstanceOf(SegmentationException.class)
        .extracting("code")
        .isEqualTo("malformed-segment");
  }

  @Test
  void truncatedSegment_isRejected() throws Exception {
    List<byte[]> segments = Es10bSegmenter.split(pysimBpp());
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    assembler.accept(segments.get(0));
    byte[] a0 = segments.get(1);
    assertThatThrownBy(() -> assembler.accept(Arrays.copyOf(a0, a0.length - 1)))
        .extracting("code")
        .isEqualTo("malformed-segment");
  }

  @Test
  void oversizedDeclaredPackage_isRejectedAtTheFirstSegment() throws Exception {
    List<byte[]> segments = Es10bSegmenter.split(pysimBpp());
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(4096);
    assertThatThrownBy(() -> assembler.accept(segments.get(0)))
        .extracting("code")
        .isEqualTo("package-too-large");
  }

  @Test
  void garbage_isRejected() {
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    assertThatThrownBy(() -> assembler.accept(new byte[] {(byte) 0xBF}))
        .extracting("code")
        .isEqualTo("malformed-segment");
    assertThatThrownBy(() -> Es10bSegmenter.split(new byte[] {1, 2, 3}))
        .isInstanceOf(SegmentationException.class);
  }

  @Test
  void missingFinalSegment_leavesThePackageIncomplete() throws Exception {
    List<byte[]> segments = Es10bSegmenter.split(pysimBpp());
    Es10bSegmentAssembler assembler = new Es10bSegmentAssembler(1 << 20);
    for (byte[] s : segments.subList(0, segments.size() - 1)) {
      assembler.accept(s);
    }
    assertThat(assembler.isComplete()).isFalse();
    assertThat(assembler.state()).isEqualTo(Es10bSegmentAssembler.State.EXPECT_86);
  }
}

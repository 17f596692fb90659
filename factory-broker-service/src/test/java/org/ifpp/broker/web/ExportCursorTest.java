package org.ifpp.broker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.ifpp.web.DomainException;
import org.junit.jupiter.api.Test;

class ExportCursorTest {

  record Row(String xid, long id) {}

  @Test
  void nothingSent_isTheStart() {
    assertThat(ExportCursor.after(null)).isEqualTo(ExportCursor.START);
    assertThat(ExportCursor.after("")).isEqualTo(ExportCursor.START);
    assertThat(ExportCursor.START).hasToString("0.0");
  }

  @Test
  void aCursorAnEarlierPageAnswered_isReadBack() {
    assertThat(ExportCursor.after("123456.42")).isEqualTo(new ExportCursor("123456", 42));
  }

  @Test
  void anythingElse_isInvalidCursor_evenAPositionPastALong() {
    for (String bad : List.of("abc", "1.", ".1", "1.2.3", "-1.2", "1.99999999999999999999")) {
      assertThatThrownBy(() -> ExportCursor.after(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              DomainException.class, e -> assertThat(e.code()).isEqualTo("invalid-cursor"));
    }
    assertThatThrownBy(() -> ExportCursor.after("1.9999999999999999999"))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void next_isAfterThePagesLastRow_orTheSameCursorForAnEmptyPage() {
    ExportCursor from = ExportCursor.after("7.3");
    assertThat(from.next(List.of(new Row("8", 4), new Row("9", 11)), Row::xid, Row::id))
        .isEqualTo("9.11");
    assertThat(from.next(List.<Row>of(), Row::xid, Row::id)).isEqualTo("7.3");
  }

  @Test
  void aLimitOutsideItsRange_isInvalidParameter() {
    ExportCursor.checkLimit(1, 100);
    ExportCursor.checkLimit(100, 100);
    for (int bad : new int[] {0, 101}) {
      assertThatThrownBy(() -> ExportCursor.checkLimit(bad, 100))
          .isInstanceOfSatisfying(
              DomainException.class, e -> assertThat(e.code()).isEqualTo("invalid-parameter"));
    }
  }
}

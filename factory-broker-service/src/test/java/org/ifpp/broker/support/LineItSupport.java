package org.ifpp.broker.support;

import org.junit.jupiter.api.BeforeEach;

/** An integration test of one line: a fresh factory and the token of a line of it, per test. */
public abstract class LineItSupport extends BrokerItSupport {

  protected String factory;
  protected String line;

  @BeforeEach
  void newLine() {
    factory = unique("F");
    line = createLine(factory, unique("L"));
  }
}

package org.ifpp.euicc.card;

/**
 * What the ISD-R answers to one complete ES10 command: response data (possibly empty) and a status
 * word.
 */
record Es10Response(byte[] data, int sw) {

  static final byte[] NONE = new byte[0];

  static Es10Response ok(byte[] data) {
    return new Es10Response(data, StatusWord.OK);
  }

  static Es10Response ok() {
    return new Es10Response(NONE, StatusWord.OK);
  }

  static Es10Response error(int sw) {
    return new Es10Response(NONE, sw);
  }
}

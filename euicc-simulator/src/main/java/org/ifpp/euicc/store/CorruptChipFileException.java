package org.ifpp.euicc.store;

/** A chip file failed its checksum or structure check at load. */
public class CorruptChipFileException extends RuntimeException {

  public CorruptChipFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

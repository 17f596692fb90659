package org.ifpp.line.chip;

/**
 * Gives each programming station its way to the chip: one shared HTTP client, or one reader per
 * station for PC/SC.
 */
@FunctionalInterface
public interface ChipStations {

  /**
   * @param line the line's index
   * @param station the station's index on its line
   */
  ChipTransport station(int line, int station);

  /** Every station uses the same transport (the HTTP API). */
  static ChipStations shared(ChipTransport transport) {
    return (line, station) -> transport;
  }
}

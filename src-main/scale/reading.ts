/**
 * One reading of a scale, whatever protocol it came by. Parsers are total: any bytes give a reading, never a
 * throw; what a parser cannot read is an `error` reading with a `problem`, so a noisy line cannot stop the reader.
 */
export type ReadingKind = 'stable' | 'unstable' | 'overload' | 'underload' | 'error';

export type ReadingProblem =
  /** MT-SICS `S I`: the scale is busy (taring) or did not settle in its own time; comes as `unstable`. */
  | 'busy'
  /** MT-SICS `ES`: the scale did not know our command (wrong protocol set on the scale?). */
  | 'syntax_error'
  /** MT-SICS `ET`: the scale received garbled bytes (baud rate or framing differ). */
  | 'transmission_error'
  /** MT-SICS `EL`: the scale cannot do the command. */
  | 'logical_error'
  /** Bytes that are no reading of the configured protocol. */
  | 'unreadable'
  /** A continuous frame whose checksum is wrong. */
  | 'checksum'
  /** A weight in a unit we do not convert (troy ounces, pieces, custom units). */
  | 'unknown_unit';

export interface ScaleReading {
  kind: ReadingKind;
  /** Gross or net weight as shown, in kg; set for stable and unstable readings that carry a weight. */
  kg?: number;
  /** Tare in kg, when the protocol sends it (Toledo continuous). */
  tareKg?: number;
  /** The weight is net (the scale subtracted a tare). */
  net?: boolean;
  problem?: ReadingProblem;
  /** What came over the wire, printable (escapeBytes) and capped. */
  raw: string;
}

export function errorReading(problem: ReadingProblem, raw: string): ScaleReading {
  return { kind: 'error', problem, raw };
}

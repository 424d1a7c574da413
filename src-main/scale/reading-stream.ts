import { LineDecoder } from '../scanner/decoder.ts';
import type { ScaleProblem } from './codes.ts';
import type { ScaleConfig } from './config.ts';
import { DEFAULT_WEIGHT_PATTERN, parseWeightPattern, readWeightLine } from './ascii-pattern.ts';
import type { ScaleReading } from './reading.ts';
import { errorReading } from './reading.ts';
import { parseSicsLine } from './sics.ts';
import { ToledoFrameSplitter } from './toledo.ts';

/** Bytes in, readings out, for the configured protocol. Pure: no timers, no I/O. */
export interface ReadingStream {
  push(chunk: Uint8Array): ScaleReading[];
  /** Forgets a partial line or frame (the port was lost in the middle of it). */
  reset(): void;
}

/** Longest answer line taken from a scale; MT-SICS answers and indicator lines are far shorter. */
const MAX_LINE_BYTES = 128;

function lineStream(read: (line: string) => ScaleReading): ReadingStream {
  const decoder = new LineDecoder({ maxLineBytes: MAX_LINE_BYTES, parseAim: false });
  return {
    push: (chunk) =>
      decoder
        .push(chunk)
        .map((event) =>
          event.kind === 'line'
            ? { ...read(event.text), raw: event.raw.trim() }
            : errorReading('unreadable', event.raw),
        ),
    reset: () => decoder.reset(),
  };
}

export function createReadingStream(
  config: Pick<ScaleConfig, 'protocol' | 'pattern' | 'statusWords' | 'unit' | 'checksum'>,
): { ok: true; stream: ReadingStream } | { ok: false; problem: ScaleProblem } {
  if (config.protocol === 'sics') return { ok: true, stream: lineStream(parseSicsLine) };
  if (config.protocol === 'continuous') {
    const splitter = new ToledoFrameSplitter({ checksum: config.checksum ?? false });
    return { ok: true, stream: { push: (chunk) => splitter.push(chunk), reset: () => splitter.reset() } };
  }
  const parsed = parseWeightPattern(config.pattern ?? DEFAULT_WEIGHT_PATTERN, {
    ...config.statusWords,
    ...(config.unit ? { unit: config.unit } : {}),
  });
  if (!parsed.ok) return parsed;
  return { ok: true, stream: lineStream((line) => readWeightLine(parsed.pattern, line)) };
}

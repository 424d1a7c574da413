import fc from 'fast-check';
import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LineDecoder } from './decoder.ts';

const CR = 0x0d;
const LF = 0x0a;
const MAX = 32;

/** Splits a byte array into pieces at the given cut points, as a serial port might deliver it. */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  return pieces;
}

/** What the decoder must say about one line, by its own rules: null when the line is empty. */
function expectedKind(line: Uint8Array): string | null {
  if (line.length > MAX) return 'line_too_long';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    return 'invalid_utf8';
  }
  return text.trim() === '' ? null : 'line_or_control';
}

const lineBytes = fc.uint8Array({ maxLength: 48 }).map((bytes) => bytes.filter((b) => b !== CR && b !== LF));
const terminator = fc.constantFrom([CR], [LF], [CR, LF]);

describe('LineDecoder properties', () => {
  it('never throws on random bytes, and stays within its cap', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const decoder = new LineDecoder({ maxLineBytes: MAX });
        const events = [...chunks.flatMap((c) => decoder.push(c)), ...decoder.flush()];
        for (const event of events) {
          if (event.kind === 'line') {
            expect(event.text.length).toBeGreaterThan(0);
            expect(Buffer.byteLength(event.text)).toBeLessThanOrEqual(MAX);
          } else {
            expect(['line_too_long', 'invalid_utf8', 'control_characters']).toContain(event.reason);
          }
        }
      }),
    );
  });

  it('gives every non-empty line exactly once, in order, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineBytes, terminator), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (lines, cuts) => {
          const stream = Uint8Array.from(lines.flatMap(([line, end]) => [...line, ...end]));
          const decoder = new LineDecoder({ maxLineBytes: MAX, parseAim: false });
          const events = [...chunk(stream, cuts).flatMap((piece) => decoder.push(piece)), ...decoder.flush()];
          const expected = lines.map(([line]) => expectedKind(line)).filter((kind) => kind !== null);
          expect(events).toHaveLength(expected.length);
          events.forEach((event, i) => {
            const kind = expected[i];
            if (kind === 'line_or_control') {
              expect(event.kind === 'line' || event.reason === 'control_characters').toBe(true);
            } else {
              expect(event).toMatchObject({ kind: 'rejected', reason: kind });
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

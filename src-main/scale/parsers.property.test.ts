import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWeightPattern, readWeightLine } from './ascii-pattern.ts';
import { createReadingStream } from './reading-stream.ts';
import type { ScaleReading } from './reading.ts';
import { parseSicsLine } from './sics.ts';
import { encodeToledoFrame, ToledoFrameSplitter } from './toledo.ts';

const KINDS = ['stable', 'unstable', 'overload', 'underload', 'error'];

/** What every reading must be, whatever came in: a known kind, a finite weight if any, a problem on errors. */
function wellFormed(reading: ScaleReading): void {
  expect(KINDS).toContain(reading.kind);
  if (reading.kg !== undefined) expect(Number.isFinite(reading.kg)).toBe(true);
  if (reading.tareKg !== undefined) expect(Number.isFinite(reading.tareKg)).toBe(true);
  if (reading.kind === 'error') expect(reading.problem).toBeDefined();
  expect(typeof reading.raw).toBe('string');
}

/** Splits bytes at the given cut points, as a serial port might deliver them. */
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

const text = fc.string({ unit: 'binary', maxLength: 80 });
const sicsLike = fc
  .tuple(
    fc.constantFrom('S', 'SI', 'ES', 'ET', 'EL', 'X', ''),
    fc.constantFrom('S', 'D', 'I', '+', '-', '', 'Q'),
    fc.oneof(fc.double({ noNaN: false }).map(String), fc.stringMatching(/^[-+ 0-9.]{0,14}$/)),
    fc.constantFrom('kg', 'g', 'lb', 'oz', 't', 'pcs', '', 'KG'),
  )
  .map((parts) => parts.join(' '));

describe('scale parsers are total', () => {
  it('MT-SICS: any line gives a well-formed reading, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(text, sicsLike), (line) => wellFormed(parseSicsLine(line))),
      {
        numRuns: 2000,
      },
    );
  });

  it('ASCII patterns: any pattern either parses or is refused with a code; any line gives a reading', () => {
    const pieces = fc.constantFrom(
      '{status}',
      '{sign}',
      '{value}',
      '{unit}',
      '{any}',
      ',',
      ' ',
      '{',
      '}',
      'k',
      '{x}',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 8 }),
        fc.oneof(text, fc.stringMatching(/^[A-Z]{0,3},?[A-Z]{0,2},?[-+ ]?[0-9 .]{0,9}[a-z]{0,3}$/)),
        (parts, line) => {
          const parsed = parseWeightPattern(parts.join(''));
          if (!parsed.ok) {
            expect(parsed.problem.code).toMatch(/^scale_pattern_/);
            return;
          }
          wellFormed(readWeightLine(parsed.pattern, line));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads a long line in time linear in its length, whatever the pattern', () => {
    const parsed = parseWeightPattern('{status} {any},{sign} {value} {unit}');
    if (!parsed.ok) throw new Error(parsed.problem.code);
    const line = `ST ${'A1'.repeat(200_000)},+ ${'9'.repeat(10)}${' '.repeat(200_000)}kg`;
    const started = performance.now();
    wellFormed(readWeightLine(parsed.pattern, line));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('Toledo continuous: any byte stream, cut anywhere, gives well-formed readings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 20 }),
        fc.boolean(),
        (chunks, checksum) => {
          const splitter = new ToledoFrameSplitter({ checksum });
          for (const piece of chunks) splitter.push(piece).forEach(wellFormed);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('Toledo continuous: every frame comes out once and right, however the stream is cut and wherever noise sits', () => {
    const frameFields = fc.record({
      kg: fc.integer({ min: -99_999, max: 999_999 }).map((n) => n / 100),
      motion: fc.boolean(),
      checksum: fc.constant(true),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.uint8Array({ maxLength: 5 }).map((b) => b.filter((x) => (x & 0x7f) !== 2)),
            frameFields,
          ),
          { maxLength: 12 },
        ),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, cuts) => {
          const stream = Uint8Array.from(
            frames.flatMap(([noise, fields]) => [...noise, ...encodeToledoFrame({ ...fields, decimals: 2 })]),
          );
          const splitter = new ToledoFrameSplitter({ checksum: true });
          const readings = chunk(stream, cuts).flatMap((piece) => splitter.push(piece));
          expect(readings.map((r) => [r.kind, r.kg])).toEqual(
            frames.map(([, f]) => [f.motion ? 'unstable' : 'stable', f.kg]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('line protocols: any bytes, cut anywhere, give well-formed readings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sics', 'ascii') as fc.Arbitrary<'sics' | 'ascii'>,
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
        (protocol, chunks) => {
          const made = createReadingStream({ protocol });
          if (!made.ok) throw new Error(made.problem.code);
          for (const piece of chunks) made.stream.push(piece).forEach(wellFormed);
        },
      ),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseWeightPattern, readWeightLine } from './ascii-pattern.ts';
import { parseSicsLine } from './sics.ts';
import { encodeToledoFrame, parseToledoFrame, ToledoFrameSplitter, toledoChecksum } from './toledo.ts';
import { toKg } from './units.ts';

describe('MT-SICS answers', () => {
  it.each([
    ['S S     12.34 kg', { kind: 'stable', kg: 12.34 }],
    ['S D     12.35 kg', { kind: 'unstable', kg: 12.35 }],
    ['S S    -  0.12 kg', { kind: 'stable', kg: -0.12 }],
    ['S S   29400 g', { kind: 'stable', kg: 29.4 }],
    ['S S      64.82 lb', { kind: 'stable', kg: 29.401857 }],
    ['S S     100.00 oz', { kind: 'stable', kg: 2.834952 }],
    ['S I', { kind: 'unstable', problem: 'busy' }],
    ['S +', { kind: 'overload' }],
    ['S -', { kind: 'underload' }],
    ['ES', { kind: 'error', problem: 'syntax_error' }],
    ['ET', { kind: 'error', problem: 'transmission_error' }],
    ['EL', { kind: 'error', problem: 'logical_error' }],
    ['S S     12.34 pcs', { kind: 'error', problem: 'unknown_unit' }],
    ['S S     12.3.4 kg', { kind: 'error', problem: 'unreadable' }],
    ['I4 A "0123456789"', { kind: 'error', problem: 'unreadable' }],
    ['', { kind: 'error', problem: 'unreadable' }],
  ])('%j', (line, expected) => {
    const reading = parseSicsLine(line);
    expect(reading).toMatchObject({ ...expected, raw: line });
    if (!('kg' in expected)) expect(reading.kg).toBeUndefined();
  });
});

/** A long frame by hand: STX, status A B C, weight and tare digits, CR. */
const frame = (a: number, b: number, c: number, weight: string, tare = '000000'): Uint8Array =>
  Buffer.from(String.fromCharCode(2, a, b, c) + weight + tare + '\r', 'latin1');

describe('Toledo continuous frames', () => {
  it('reads the decimal point from A, sign, motion, net and kg/lb from B, grams from C', () => {
    // A = 0x34: bits 0-2 = 4 (XXXX.XX), increment x1; B = 0x30: kg, gross, positive, still.
    expect(parseToledoFrame(frame(0x34, 0x30, 0x20, '002940', '000150'))).toMatchObject({
      kind: 'stable',
      kg: 29.4,
      tareKg: 1.5,
      net: false,
    });
    // B = 0x3b: kg, net, negative, in motion.
    expect(parseToledoFrame(frame(0x34, 0x3b, 0x20, '000012'))).toMatchObject({
      kind: 'unstable',
      kg: -0.12,
      net: true,
    });
    // B = 0x20: lb; A = 0x33: one decimal.
    expect(parseToledoFrame(frame(0x33, 0x20, 0x20, '000648'))).toMatchObject({ kg: toKg(64.8, 'lb') });
    // A = 0x28: XXXX00 (dummy zeros); C = 0x21: grams.
    expect(parseToledoFrame(frame(0x28, 0x30, 0x21, '000294'))).toMatchObject({ kg: 29.4 });
    // Leading zeros blanked, and the parity bit set on a byte.
    expect(parseToledoFrame(frame(0x34 | 0x80, 0x30, 0x20, '  2940'))).toMatchObject({ kg: 29.4 });
  });

  it('reads over capacity and under zero from B bit 2 with the sign', () => {
    expect(parseToledoFrame(frame(0x34, 0x34, 0x20, '999999'))).toMatchObject({ kind: 'overload' });
    expect(parseToledoFrame(frame(0x34, 0x36, 0x20, '000000'))).toMatchObject({ kind: 'underload' });
  });

  it('reads the short frame with no tare, and refuses units it does not convert', () => {
    const short = Buffer.from(String.fromCharCode(2, 0x34, 0x30, 0x20) + '002940\r', 'latin1');
    expect(parseToledoFrame(short)).toMatchObject({ kind: 'stable', kg: 29.4 });
    expect(parseToledoFrame(short).tareKg).toBeUndefined();
    expect(parseToledoFrame(frame(0x34, 0x30, 0x27, '002940'))).toMatchObject({ problem: 'unknown_unit' });
    expect(parseToledoFrame(frame(0x34, 0x30, 0x20, '0029X0'))).toMatchObject({ problem: 'unreadable' });
  });

  it('cuts a stream into frames however it is split, and checks the checksum', () => {
    const one = encodeToledoFrame({ kg: 29.4, decimals: 2, checksum: true });
    expect((one.subarray(0, -1).reduce((s, b) => s + b, 0) + one.at(-1)!) & 0x7f).toBe(0);
    expect(toledoChecksum(one.subarray(0, -1))).toBe(one.at(-1));
    const stream = Uint8Array.of(0x41, 0x42, ...one, ...one);
    const splitter = new ToledoFrameSplitter({ checksum: true });
    const readings = [...stream].flatMap((byte) => splitter.push(Uint8Array.of(byte)));
    expect(readings.map((r) => r.kg)).toEqual([29.4, 29.4]);
    const broken = Uint8Array.from(one);
    broken[6] = 0x35;
    expect(new ToledoFrameSplitter({ checksum: true }).push(broken)).toMatchObject([{ problem: 'checksum' }]);
  });

  it('encodes what it decodes: kg, lb, g, motion, overload', () => {
    const read = (fields: Parameters<typeof encodeToledoFrame>[0]) =>
      new ToledoFrameSplitter().push(encodeToledoFrame(fields))[0];
    expect(read({ kg: 29.4, decimals: 2 })).toMatchObject({ kind: 'stable', kg: 29.4 });
    expect(read({ kg: 64.8, unit: 'lb', decimals: 1 })).toMatchObject({ kg: toKg(64.8, 'lb') });
    expect(read({ kg: 29400, unit: 'g', decimals: 0 })).toMatchObject({ kg: 29.4 });
    expect(read({ kg: 29.1, decimals: 2, motion: true })).toMatchObject({ kind: 'unstable' });
    expect(read({ kg: 0, decimals: 2, overload: true })).toMatchObject({ kind: 'overload' });
  });
});

describe('ASCII line patterns', () => {
  const pattern = (source: string, words = {}) => {
    const parsed = parseWeightPattern(source, words);
    if (!parsed.ok) throw new Error(parsed.problem.code);
    return parsed.pattern;
  };

  it.each([
    ['ST,GS,+0029.40kg', { kind: 'stable', kg: 29.4 }],
    ['US,GS,+0029.10kg', { kind: 'unstable', kg: 29.1 }],
    ['ST,NT,-0000.50kg', { kind: 'stable', kg: -0.5 }],
    ['ST,GS,+  64.8lb', { kind: 'stable', kg: toKg(64.8, 'lb') }],
    ['OL,GS,+------kg', { kind: 'overload' }],
    ['UL,GS,-------kg', { kind: 'underload' }],
    ['XX,GS,+0029.40kg', { kind: 'error', problem: 'unreadable' }],
    ['ST,GS,+0029.40pcs', { kind: 'error', problem: 'unknown_unit' }],
    ['ST,GS,+0029.40kg extra', { kind: 'error', problem: 'unreadable' }],
    ['ST,GS,+kg', { kind: 'error', problem: 'unreadable' }],
  ])('the default pattern reads %j', (line, expected) => {
    expect(readWeightLine(pattern('{status},{any},{sign}{value}{unit}'), line)).toMatchObject(expected);
  });

  it('takes any run of spaces for a space, a configured unit, and own status words', () => {
    const p = pattern('{value} {unit} {status}', { stable: ['OK'], unstable: ['MOV'], unit: 'lb' });
    expect(readWeightLine(p, '12.5 kg OK')).toMatchObject({ kind: 'stable', kg: 12.5 });
    expect(readWeightLine(p, '12.5  kg   MOV')).toMatchObject({ kind: 'unstable', kg: 12.5 });
    expect(readWeightLine(pattern('{value}{unit}', { unit: 'lb' }), '10')).toMatchObject({
      kind: 'stable',
      kg: toKg(10, 'lb'),
    });
  });

  it.each([
    ['{status},{weight}', 'scale_pattern_field_unknown'],
    ['{status},{any}', 'scale_pattern_no_value'],
    ['{value}{value}', 'scale_pattern_field_twice'],
    ['{status}{unit}{value}', 'scale_pattern_ambiguous'],
    ['{any}{value}', 'scale_pattern_ambiguous'],
    ['{value', 'scale_pattern_malformed'],
    ['{value}}', 'scale_pattern_malformed'],
    ['{value}\t', 'scale_pattern_malformed'],
  ])('refuses the pattern %j with %s', (source, code) => {
    const parsed = parseWeightPattern(source);
    expect(parsed.ok ? 'ok' : parsed.problem.code).toBe(code);
  });
});

import { describe, expect, it } from 'vitest';
import type { DecodedEvent, DecoderOptions } from './decoder.ts';
import { LineDecoder, escapeBytes } from './decoder.ts';

function decode(
  chunks: Array<string | number[]>,
  options: DecoderOptions = {},
  flush = true,
): DecodedEvent[] {
  const decoder = new LineDecoder(options);
  const events: DecodedEvent[] = [];
  for (const chunk of chunks) {
    events.push(
      ...decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Uint8Array.from(chunk)),
    );
  }
  if (flush) events.push(...decoder.flush());
  return events;
}

const texts = (events: DecodedEvent[]): string[] =>
  events.map((e) => (e.kind === 'line' ? e.text : `!${e.reason}`));

describe('LineDecoder', () => {
  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('ends lines on %s', (_name, end) => {
    expect(texts(decode([`BAG001${end}BAG002${end}`], {}, false))).toEqual(['BAG001', 'BAG002']);
  });

  it('counts CRLF once when CR and LF arrive in different chunks', () => {
    expect(texts(decode(['BAG001\r', '\nBAG002\r', '\n'], {}, false))).toEqual(['BAG001', 'BAG002']);
  });

  it('joins a code written in pieces', () => {
    expect(texts(decode(['BA', 'G0', '0', '1\r\n'], {}, false))).toEqual(['BAG001']);
  });

  it('ends a line with no suffix on flush (the inter-byte timeout)', () => {
    const decoder = new LineDecoder();
    expect(decoder.push(Buffer.from('BAG001'))).toEqual([]);
    expect(decoder.hasPending).toBe(true);
    expect(texts(decoder.flush())).toEqual(['BAG001']);
    expect(decoder.hasPending).toBe(false);
    expect(decoder.flush()).toEqual([]);
  });

  it('trims and ignores empty lines', () => {
    expect(texts(decode(['\r\n\r\n  BAG001 \t\r\n   \r\n\n\r'], {}, false))).toEqual(['BAG001']);
  });

  it('strips prefix and suffix', () => {
    const events = decode(['STX:BAG001:END\r'], { prefix: 'STX:', suffix: ':END' });
    expect(events).toEqual([{ kind: 'line', text: 'BAG001', raw: 'STX:BAG001:END' }]);
  });

  it.each([
    [']Q1BAG001', ']Q1', 'BAG001'],
    [']C1BAG002', ']C1', 'BAG002'],
    [']E05901234123457', ']E0', '5901234123457'],
    [']d2010590123412345', ']d2', '010590123412345'],
  ])('parses the AIM identifier of %s', (line, aim, text) => {
    expect(decode([`${line}\r`])).toEqual([{ kind: 'line', text, aim, raw: line }]);
  });

  it('parses AIM after the prefix and leaves codes that only look alike', () => {
    expect(decode(['>]Q1BAG001\r'], { prefix: '>' })).toMatchObject([{ text: 'BAG001', aim: ']Q1' }]);
    expect(decode(['BAG]Q1\r'])).toEqual([{ kind: 'line', text: 'BAG]Q1', raw: 'BAG]Q1' }]);
    expect(decode([']Q1BAG\r'], { parseAim: false })).toEqual([
      { kind: 'line', text: ']Q1BAG', raw: ']Q1BAG' },
    ]);
  });

  it('keeps GS (0x1D) inside GS1 codes', () => {
    const events = decode([[0x30, 0x31, 0x1d, 0x31, 0x30, 0x0d]]);
    expect(events).toEqual([{ kind: 'line', text: '01\u001d10', raw: '01\u001d10' }]);
  });

  it('rejects other control bytes and goes on with the next line', () => {
    const events = decode([[0x42, 0x1b, 0x41, 0x0d], 'BAG002\r']);
    expect(events).toEqual([
      { kind: 'rejected', raw: 'B\\x1bA', reason: 'control_characters' },
      { kind: 'line', text: 'BAG002', raw: 'BAG002' },
    ]);
  });

  it('rejects invalid UTF-8 and keeps valid UTF-8', () => {
    const events = decode([[0x41, 0xff, 0xfe, 0x0d], 'BAG-ü\r']);
    expect(events).toEqual([
      { kind: 'rejected', raw: 'A\\xff\\xfe', reason: 'invalid_utf8' },
      { kind: 'line', text: 'BAG-ü', raw: 'BAG-ü' },
    ]);
  });

  it('rejects garbage bytes without throwing', () => {
    const garbage = Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256);
    const events = decode([[...garbage, 0x0d], 'BAG001\r\n']);
    expect(events.at(-1)).toEqual({ kind: 'line', text: 'BAG001', raw: 'BAG001' });
    for (const event of events.slice(0, -1)) expect(event.kind).toBe('rejected');
  });

  it('drops a 10 kB line with no terminator as line_too_long, with a capped raw', () => {
    const decoder = new LineDecoder({ maxLineBytes: 256 });
    for (let i = 0; i < 100; i++) expect(decoder.push(Buffer.alloc(100, 0x41))).toEqual([]);
    const [event, ...rest] = decoder.flush();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ kind: 'rejected', reason: 'line_too_long' });
    expect(event?.raw.length).toBeLessThanOrEqual(121);
    expect(texts(decoder.push(Buffer.from('BAG001\r')))).toEqual(['BAG001']);
  });

  it('takes a line of exactly maxLineBytes and rejects one byte more', () => {
    const events = decode([`${'A'.repeat(8)}\r${'B'.repeat(9)}\r`], { maxLineBytes: 8 });
    expect(texts(events)).toEqual(['AAAAAAAA', '!line_too_long']);
  });

  it('escapes raw bytes into a printable, capped form', () => {
    expect(escapeBytes(Uint8Array.from([0x41, 0x5c, 0x00, 0x7f]))).toBe('A\\\\\\x00\\x7f');
    expect(escapeBytes(Buffer.alloc(500, 0x41))).toHaveLength(121);
  });
});

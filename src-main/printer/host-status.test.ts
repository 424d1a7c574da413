import { describe, expect, it } from 'vitest';
import type { PrinterProblem } from './host-status.ts';
import { hostStatusComplete, parseHostStatus } from './host-status.ts';
import { hostStatusReply } from './testing/fake-printer.ts';

// An answer from a Zebra in the field layout of the ZPL II Programming Guide (~HS), paper out and head open.
const RECORDED = Buffer.from(
  '\x02030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,1,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n',
  'latin1',
);

describe('~HS host status', () => {
  it('reads paper out and head open from the three strings', () => {
    expect(parseHostStatus(RECORDED)).toEqual({
      problems: ['paper_out', 'head_open'],
      formatsInBuffer: 0,
      labelsRemaining: 0,
      partialFormat: false,
      labelLengthDots: 1245,
    });
  });

  const problems: PrinterProblem[] = [
    'paper_out',
    'ribbon_out',
    'head_open',
    'paused',
    'buffer_full',
    'corrupt_ram',
    'under_temperature',
    'over_temperature',
  ];
  it.each(problems)('finds %s at its place in the strings and nothing else', (problem) => {
    expect(parseHostStatus(hostStatusReply([problem]))?.problems).toEqual([problem]);
  });

  it('reads a healthy printer and the formats waiting in its buffer', () => {
    expect(parseHostStatus(hostStatusReply([], 3))).toMatchObject({ problems: [], formatsInBuffer: 3 });
  });

  it('is complete only once the third string has ended, however the bytes were split', () => {
    const reply = hostStatusReply(['paused']);
    const thirdEnd = reply.lastIndexOf(0x03) + 1;
    for (let cut = 0; cut < thirdEnd; cut++) {
      expect(hostStatusComplete(reply.subarray(0, cut))).toBe(false);
    }
    expect(hostStatusComplete(reply.subarray(0, thirdEnd))).toBe(true);
    expect(hostStatusComplete(reply)).toBe(true);
  });

  it('gives nothing for silence, noise or a cut answer', () => {
    expect(parseHostStatus(Buffer.alloc(0))).toBeUndefined();
    expect(parseHostStatus(Buffer.from('hello\r\n'))).toBeUndefined();
    expect(parseHostStatus(RECORDED.subarray(0, 40))).toBeUndefined();
    expect(parseHostStatus(Buffer.from('\x02a,b\x03\x02c\x03\x02d\x03', 'latin1'))).toBeUndefined();
  });
});

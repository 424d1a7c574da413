import { describe, expect, it } from 'vitest';
import { nearMisses } from '../../src-renderer/screens/near-misses.ts';
import { commandOf } from '../../src-shared/commands.ts';
import { createWedgeDetector } from '../../src-renderer/scan/wedge.ts';

/** Feeds keys at a fixed pace and answers the verdict of the last key. */
function typeAt(text: string, msPerKey: number, end = 'Enter') {
  const wedge = createWedgeDetector();
  const keys = [...text, end];
  return keys.map((key, i) => wedge.key({ key, at: 1000 + i * msPerKey })).at(-1);
}

describe('keyboard-wedge detection', () => {
  it('takes fast keys ending in Enter or Tab as a scan', () => {
    expect(typeAt('CHILD001', 8)).toEqual({ type: 'scan', code: 'CHILD001' });
    expect(typeAt('SB00001', 25, 'Tab')).toEqual({ type: 'scan', code: 'SB00001' });
  });

  it('leaves a person typing alone: slow keys, and Enter on its own', () => {
    expect(typeAt('CHILD001', 120)).toEqual({ type: 'other' });
    expect(typeAt('AB', 120)).toEqual({ type: 'other' });
    expect(typeAt('', 5)).toEqual({ type: 'other' });
  });

  it('calls a scanner-fast read shorter than a code a short read, so it gets feedback', () => {
    expect(typeAt('AB1', 5)).toEqual({ type: 'short', code: 'AB1' });
  });

  it('starts a new read after a pause, so earlier typing does not join the scan', () => {
    const wedge = createWedgeDetector();
    for (const [i, key] of [...'hello'].entries()) wedge.key({ key, at: i * 150 });
    const start = 2000;
    const verdicts = [...'CHILD002', 'Enter'].map((key, i) => wedge.key({ key, at: start + i * 5 }));
    expect(verdicts.at(-1)).toEqual({ type: 'scan', code: 'CHILD002' });
  });
});

describe('command barcodes and near misses', () => {
  it('knows the printed commands and nothing else', () => {
    expect(commandOf('cmd-ack')).toBe('ack');
    expect(commandOf('CMD-UNDO')).toBe('undo');
    expect(commandOf('CHILD001')).toBeNull();
  });

  it('offers look-alike, swapped and zero-padded codes', () => {
    expect(nearMisses('SB1')).toContain('SB00001');
    expect(nearMisses('CHILDOO1')).toContain('CHILD0O1');
    expect(nearMisses('CHIDL001')).toContain('CHILD001');
    expect(nearMisses('CHILD001')).not.toContain('CHILD001');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureIo, runBaglink } from '../testing/cli.ts';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import { ScaleReader } from './reader.ts';
import { parseScaleSimArgs } from './sim.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-scale-sim-'));
});
afterEach(async () => {
  await stopAllPtyPairs();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scale simulator arguments', () => {
  it('reads every flag, with sics at 29.4 kg, steady, in kg by default', () => {
    expect(parseScaleSimArgs(['--port', '/tmp/B'])).toMatchObject({
      port: '/tmp/B',
      protocol: 'sics',
      kg: 29.4,
      unstableMs: 0,
      overload: false,
      unit: 'kg',
    });
    expect(
      parseScaleSimArgs([
        '--port',
        '/tmp/B',
        '--protocol',
        'continuous',
        '--kg',
        '12.5',
        '--unstable-ms',
        '1500',
        '--overload',
        '--unit',
        'lb',
        '--baud',
        '4800',
        '--checksum',
      ]),
    ).toMatchObject({
      protocol: 'continuous',
      kg: 12.5,
      unstableMs: 1500,
      overload: true,
      unit: 'lb',
      checksum: true,
      framing: { baudRate: 4800, dataBits: 8, parity: 'none', stopBits: 1 },
    });
  });

  it.each([
    [['--protocol', 'sics'], 'Say which port'],
    [['--port', 'P', '--protocol', 'modbus'], 'use sics, continuous or ascii'],
    [['--port', 'P', '--unit', 'st'], 'use kg, lb or g'],
    [['--port', 'P', '--kg', 'heavy'], 'a weight in kg'],
    [['--port', 'P', '--unstable-ms=-5'], 'a whole number of milliseconds'],
    [['--port', 'P', '--baud', '0'], 'a baud rate'],
  ])('refuses %j with a sentence that says what to give', async (argv, words) => {
    expect(() => parseScaleSimArgs(argv)).toThrow(words);
    const { io, err } = captureIo();
    expect(await runBaglink(['scale-sim', ...argv], io)).toBe(2);
    expect(err.join('\n')).toContain(words);
  });

  it('baglink scale-sim plays a scale until its port goes away', async () => {
    const pair = await startPtyPair(dir);
    const { io, out } = captureIo();
    const running = runBaglink(
      ['scale-sim', '--port', pair.scanner, '--protocol', 'ascii', '--kg', '18.75'],
      io,
    );
    const made = ScaleReader.create({ path: pair.station, protocol: 'ascii' });
    if (!made.ok) throw new Error(made.problem.code);
    made.reader.start();
    try {
      await vi.waitFor(() => expect(made.reader.status.state).toBe('ready'), { timeout: 20_000 });
      expect(await made.reader.waitForStable({ minKg: 5, timeoutMs: 10_000 })).toMatchObject({
        ok: true,
        weight: { kg: 18.75 },
      });
    } finally {
      await made.reader.stop();
    }
    await pair.unplug();
    expect(await running).toBe(0);
    expect(out.join('\n')).toContain(`Playing a ascii scale on ${pair.scanner}: 18.75 kg`);
  });
});

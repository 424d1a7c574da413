/**
 * Adversarial tests of issue 16's port exclusion (i16-break): one serial port, one reader. A port has many names
 * (socat's link and the /dev/pts device it points to; /dev/serial/by-id links and /dev/ttyUSB0 on a dock PC).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { startPtyPair, stopAllPtyPairs, type PtyPair } from '../scanner/pty-pair.ts';

let ts: TestStation;
let dir: string;
let pty: PtyPair;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'break-ports-'));
  ts = createTestStation();
  await ts.addUser('boss', 'admin');
  await ts.login('boss');
  pty = await startPtyPair(dir);
});

afterEach(async () => {
  await stopAllPtyPairs();
  ts.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('break: the same serial port under two names', () => {
  it('a serial printer on the device the scale link points to is refused as port_in_use', async () => {
    const device = realpathSync(pty.station); // /dev/pts/N: the same port as the link
    expect(device).not.toBe(pty.station);
    await ts.call('hardware.configure', { scale: { path: pty.station, protocol: 'sics' } });
    // Observed: accepted; the scale reader and the print queue would both open /dev/pts/N.
    expect(
      await ts.refusal('hardware.configure', {
        printer: { connection: { kind: 'serial', path: device }, layout: '4x2in', dpi: 203 },
      }),
    ).toBe('port_in_use');
  });

  it('a scanner on the device the scale link points to is refused as port_in_use', async () => {
    const device = realpathSync(pty.station);
    await ts.call('hardware.configure', { scale: { path: pty.station, protocol: 'sics' } });
    // Observed: the port check passes (the answer is scanners_unavailable, as no scanner process runs here).
    expect(await ts.refusal('scanners.configure', { scanners: [{ path: device }] })).toBe('port_in_use');
  });

  it('control (holds): the same name twice is refused', async () => {
    await ts.call('hardware.configure', { scale: { path: pty.station, protocol: 'sics' } });
    expect(
      await ts.refusal('hardware.configure', {
        printer: { connection: { kind: 'serial', path: pty.station }, layout: '4x2in', dpi: 203 },
      }),
    ).toBe('port_in_use');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';
import { closeSerialFolder, serialFolder, until, type SerialFolder } from './serial-station.ts';

type History = { outcome: string; reason: string | null; action: string }[];

/** Review findings F2 and F4 against a real `baglink serve` and a real pty scanner (`baglink scan-sim`). */
describe('double reads around undo, from a serial scanner', () => {
  let dataDir: string;
  let pty: PtyPair;
  let station: Served | undefined;
  let folder: SerialFolder;

  const history = async (code: string): Promise<History> => {
    const r = await station!.call('bags.lookup', { code });
    return r.ok ? (r.value.history as History) : [];
  };
  const scanSim = (args: string[]) => {
    const sim = baglink(['scan-sim', '--port', pty.scanner, ...args]);
    expect(sim.code, sim.stderr).toBe(0);
  };

  beforeEach(async () => {
    folder = await serialFolder('baglink-serial-undo-');
    ({ dataDir, pty } = folder);
    station = await serve(dataDir, ['--scanner', pty.station]);
    await station.call('auth.login', { username: 'ravi', password: 'dock-password' });
    await until(async () => {
      const r = await station!.call('scanners.list');
      return r.ok && r.value.some((s: { state: string }) => s.state === 'ready');
    }, 'the scanner to be ready');
  });

  afterEach(async () => {
    await closeSerialFolder(folder, station);
    station = undefined;
  });

  it('F2: CMD-UNDO read twice 50 ms apart is recorded once as a command, once as a double read', async () => {
    scanSim(['--rate', '20', 'SB00077', 'UND00001', 'UND00002']);
    await until(async () => (await history('UND00002')).length === 1, 'the links');
    scanSim(['--rate', '20', 'CMD-UNDO', 'CMD-UNDO']);
    await until(async () => (await history('CMD-UNDO')).length === 2, 'both command reads');
    const outcomes = (await history('CMD-UNDO')).map((h) => h.outcome).sort();
    expect(outcomes).toEqual(['command', 'double_read']);
  });

  it('F4: a bag read, undone and read again at once links again', async () => {
    // A long window, so the second read is inside it however slowly the simulator starts.
    const set = await station!.call('settings.update', { profile: { doubleReadWindowMs: 60_000 } });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    scanSim(['SB00077', 'UND00001']);
    await until(async () => (await history('UND00001')).length === 1, 'the link');
    const undone = await station!.call('scan.undoLast');
    expect(undone.value).toMatchObject({ child: 'UND00001', fromParent: 'SB00077' });
    scanSim(['UND00001']);
    await until(async () => (await history('UND00001')).length === 3, 'the rescan');
    const bag = await station!.call('bags.lookup', { code: 'UND00001' });
    expect(bag.value.parent?.code).toBe('SB00077');
    expect((await history('UND00001')).map((h) => h.outcome)).not.toContain('double_read');
  });
});

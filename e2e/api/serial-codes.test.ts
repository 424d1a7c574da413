import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';
import { closeSerialFolder, serialFolder, until, type SerialFolder } from './serial-station.ts';

interface Recent {
  raw: string;
  code: string;
  outcome: string;
  reason: string | null;
  scanner: string;
}

/** Issue 13 items 8 and 10 against a running `baglink serve` with a pty scanner. */
describe('codes from a real serial scanner', () => {
  let dataDir: string;
  let pty: PtyPair;
  let station: Served | undefined;
  let folder: SerialFolder;

  beforeEach(async () => {
    folder = await serialFolder('baglink-codes-');
    ({ dataDir, pty } = folder);
  });

  afterEach(async () => {
    await closeSerialFolder(folder, station);
    station = undefined;
  });

  it('an API call naming the scanner does not silence its next read; a non-ASCII read is refused', async () => {
    station = await serve(dataDir, ['--scanner', pty.station]);
    await station.call('auth.login', { username: 'ravi', password: 'dock-password' });
    await until(async () => {
      const r = await station!.call('scanners.list');
      return r.ok && r.value.some((s: { state: string }) => s.state === 'ready');
    }, 'the scanner to be ready');
    const recent = async (): Promise<Recent[]> =>
      (await station!.call('scan.state', { limit: 10 })).value.recent;

    // The API names the serial scanner (its name is its path) and reads the same child first.
    await station.call('scan.submit', { code: 'SB00001', scanner: pty.station });
    const api = await station.call('scan.submit', { code: 'CH000001', scanner: pty.station });
    expect(api.value.outcome).toBe('linked');
    const sim = baglink(['scan-sim', '--port', pty.scanner, 'CH000001', 'straße01']);
    expect(sim.code, sim.stderr).toBe(0);
    await until(async () => (await recent()).length >= 4, 'the two serial reads');

    const [word, serial] = await recent();
    expect(serial).toMatchObject({ code: 'CH000001', outcome: 'already_linked', scanner: pty.station });
    expect(word).toMatchObject({
      raw: 'straße01',
      code: 'straße01',
      outcome: 'rejected',
      reason: 'code_not_ascii',
    });
    expect((await station.call('bags.lookup', { code: 'STRASSE01' })).value.bag).toBeNull();
  });
});

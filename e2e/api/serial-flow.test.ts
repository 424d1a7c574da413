import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';
import { closeSerialFolder, serialFolder, until, type SerialFolder } from './serial-station.ts';

/** `baglink serve --scanner A` and `baglink scan-sim --port B`: the whole link flow with no API call but login. */
describe('a serial scanner drives the station', () => {
  let dataDir: string;
  let pty: PtyPair;
  let station: Served | undefined;
  let folder: SerialFolder;

  beforeEach(async () => {
    folder = await serialFolder('baglink-serial-');
    ({ dataDir, pty } = folder);
  });

  afterEach(async () => {
    await closeSerialFolder(folder, station);
    station = undefined;
  });

  it('links a full parent from scanner reads, refuses the 31st, and records every read', async () => {
    station = await serve(dataDir, ['--scanner', pty.station]);
    const ready = async () => {
      const r = await station!.call('scanners.list');
      return r.ok && r.value.some((s: { state: string }) => s.state === 'ready');
    };
    // Nobody logged in yet: a read is refused with "log in first" and recorded.
    await station.call('auth.login', { username: 'ravi', password: 'dock-password' });
    await until(ready, 'the scanner to be ready');
    await station.call('auth.logout');
    const early = baglink(['scan-sim', '--port', pty.scanner, 'SB00077']);
    expect(early.code, early.stderr).toBe(0);
    await until(
      async () => (await station!.call('status.preLogin')).value.sync.outboxDepth >= 1,
      'the early read',
    );

    await station.call('auth.login', { username: 'ravi', password: 'dock-password' });
    const codes = [
      ']Q1sb00077',
      ...Array.from({ length: 31 }, (_, i) => `SER${String(i + 1).padStart(4, '0')}`),
      'BAD CODE!',
    ];
    const sim = baglink(['scan-sim', '--port', pty.scanner, '--terminator', 'crlf'], `${codes.join('\n')}\n`);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toContain(`Wrote ${codes.length} codes`);

    await until(async () => {
      const r = await station!.call('bags.lookup', { code: 'BAD CODE!' });
      return r.ok && r.value.history.length === 1;
    }, 'the last read');

    const parent = await station.call('bags.lookup', { code: 'SB00077' });
    expect(parent.value.children).toHaveLength(30);
    expect(
      parent.value.history.map((h: { outcome: string; reason: string | null }) => h.reason ?? h.outcome),
    ).toEqual(['parent_active', 'not_logged_in']);
    const last = await station.call('bags.lookup', { code: 'SER0031' });
    expect(last.value.bag).toBeNull();
    expect(last.value.history[0]).toMatchObject({
      action: 'rejected',
      reason: 'parent_full',
      scanner: pty.station,
    });
    const linked = await station.call('bags.lookup', { code: 'SER0030' });
    expect(linked.value.parent.code).toBe('SB00077');
    const bad = await station.call('bags.lookup', { code: 'BAD CODE!' });
    expect(bad.value.history[0]).toMatchObject({ action: 'rejected', reason: 'invalid_code' });

    const state = await station.call('scanners.list');
    expect(state.value[0]).toMatchObject({ path: pty.station, state: 'ready', reads: codes.length + 1 });
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStation } from '../central/enrol.ts';
import { createCentralDb } from '../central/scratch-db.ts';
import { createTestStation } from '../testing/test-station.ts';
import { saveEnrolment } from '../sync/config.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import { sealCentralCredentials } from './central-secret.ts';
import { createCredentialVault } from './credentials.ts';
import { desktopSyncSettings, startSyncRun } from './sync-run.ts';
import { FakeSafeStorage } from './testing/fake-electron.ts';

const secret = 's3cret-Pass';
const url = `postgres://station_7:${secret}@central.example:5432/baglink?sslmode=verify-full`;
let dir: string;
let log: string[];

const writeCentral = (d: string, u = url) =>
  writeFileSync(
    join(d, 'central.json'),
    JSON.stringify({ stationId: 'st-7', name: 'Dock 7', dispatchArea: 'NORTH', url: u, caFile: null }),
    { mode: 0o600 },
  );
const central = (d = dir) => readFileSync(join(d, 'central.json'), 'utf8');
const vaultIn = (d: string, available: boolean) =>
  createCredentialVault(join(d, 'central-credentials.bin'), new FakeSafeStorage(available));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baglink-seal-'));
  log = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the central password in the desktop app', () => {
  it('moves into the encrypted vault, leaves central.json, and comes back decrypted at the next start', () => {
    writeCentral(dir);
    const vault = vaultIn(dir, true);
    expect(sealCentralCredentials(dir, vault, (l) => log.push(l))).toBe(url);
    expect(central()).not.toContain(secret);
    const stripped = JSON.parse(central()) as { url: string; stationId: string };
    expect(stripped.url).toBe('postgres://station_7@central.example:5432/baglink?sslmode=verify-full');
    expect(stripped.stationId).toBe('st-7');
    expect(statSync(join(dir, 'central.json')).mode & 0o777).toBe(0o600);
    const file = join(dir, 'central-credentials.bin');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).toString('latin1')).not.toContain(secret);
    expect(vault.load()).toEqual({ connectionString: url, stationId: 'st-7' });
    // The next start: central.json has no password any more, the vault gives the whole string back.
    expect(sealCentralCredentials(dir, vaultIn(dir, true), (l) => log.push(l))).toBe(url);
    expect(log).toEqual(['sync: the central credentials are now kept encrypted with the system keyring']);
    expect(log.join('\n')).not.toContain(secret);
  });

  it('stays in the owner-only central.json where safeStorage is not available, and says so once', () => {
    writeCentral(dir);
    const before = central();
    expect(sealCentralCredentials(dir, vaultIn(dir, false), (l) => log.push(l))).toBeUndefined();
    expect(central()).toBe(before);
    expect(existsSync(join(dir, 'central-credentials.bin'))).toBe(false);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/stay in central\.json, readable by this user only$/);
    expect(log[0]).not.toContain(secret);
  });

  it('does nothing for a station that has not joined a centre', () => {
    expect(sealCentralCredentials(dir, vaultIn(dir, true), (l) => log.push(l))).toBeUndefined();
    expect(existsSync(join(dir, 'central-credentials.bin'))).toBe(false);
    expect(log).toEqual([]);
  });

  it('a new `baglink join` (a password in central.json again) replaces what the vault held', () => {
    writeCentral(dir);
    sealCentralCredentials(dir, vaultIn(dir, true), () => {});
    const rejoined = url.replace(secret, 'new-Pass');
    writeCentral(dir, rejoined);
    expect(sealCentralCredentials(dir, vaultIn(dir, true), () => {})).toBe(rejoined);
    expect(central()).not.toContain('new-Pass');
  });
});

describe('the sync worker in the desktop app', () => {
  it('is handed the decrypted connection string and prefers it over central.json', async () => {
    const db = await createCentralDb();
    const ts = createTestStation();
    try {
      const enrolment = await addStation({
        adminUrl: db.adminUrl,
        name: 'Dock 7',
        dispatchArea: 'NORTH',
        insecure: true,
      });
      saveEnrolment(ts.dir, enrolment);
      const connectionString = sealCentralCredentials(ts.dir, vaultIn(ts.dir, true), () => {});
      expect(connectionString).toBe(enrolment.url);
      // central.json alone now points nowhere: only the handed-over string can reach the centre.
      const stripped = JSON.parse(central(ts.dir)) as { url: string };
      const nowhere = new URL(stripped.url);
      nowhere.port = '1';
      writeFileSync(join(ts.dir, 'central.json'), JSON.stringify({ ...stripped, url: nowhere.toString() }));
      expect(central(ts.dir)).not.toContain(new URL(enrolment.url).password);

      const settings = desktopSyncSettings({ BAGLINK_SYNC_INTERVAL_MS: '200' }, connectionString);
      expect(settings).toEqual({ intervalMs: 200, connectionString: enrolment.url });
      const states: SyncState[] = [];
      const off = ts.station.subscribe((name, payload) => {
        if (name === 'onSyncState') states.push(payload as SyncState);
      });
      const run = startSyncRun(ts.station, () => {}, settings);
      try {
        const end = Date.now() + 60_000;
        while (!states.some((s) => s.state === 'idle' && s.lastSuccessAt !== null)) {
          const failed = states.find((s) => s.lastError !== null);
          if (failed) throw new Error(`The worker did not reach the centre: ${failed.lastError}`);
          if (Date.now() > end) throw new Error('Timed out waiting for the worker to sync');
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        off();
        await run.stop();
      }
      expect(ts.station.status().sync.lastError).toBeNull();
    } finally {
      ts.dispose();
      await db.drop();
    }
  }, 90_000);
});

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCentralDb, type CentralDb } from '../../src-main/central/scratch-db.ts';
import { formatError } from '../../src-shared/errors.ts';
import { counterMismatches } from '../../src-main/sync/testing/stations.ts';
import { baglink, serve, type Served } from '../../src-main/bench/serve-process.ts';

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * IT's side of backups with real `baglink` processes: `backup` while `serve` runs, `restore` refused while it
 * runs, then put back; the restored station recovers at its next sync. A copy put back by hand is caught by
 * `sync --once` and `status`, and `recover` fixes it. Every scan ends at the centre once and back at the station.
 */
describe('baglink backup, restore and recover', () => {
  let db: CentralDb;
  let dir: string;
  let stationId: string;
  let served: Served | undefined;
  const previousInterval = process.env.BAGLINK_SYNC_INTERVAL_MS;

  beforeAll(async () => {
    process.env.BAGLINK_SYNC_INTERVAL_MS = '300';
    db = await createCentralDb();
  });
  afterAll(async () => {
    await db?.drop().catch(() => undefined);
    if (previousInterval === undefined) delete process.env.BAGLINK_SYNC_INTERVAL_MS;
    else process.env.BAGLINK_SYNC_INTERVAL_MS = previousInterval;
  });
  afterEach(async () => {
    await served?.stop('SIGKILL');
    served = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function enrol(name: string): void {
    dir = mkdtempSync(join(tmpdir(), 'baglink-e2e-backup-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dir, '--username', 'ana', '--role', 'admin', '--password-stdin'],
      'a-long-password\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const out = baglink([
      'central',
      'add-station',
      '--url',
      db.adminUrl,
      '--name',
      name,
      '--area',
      'MAIN',
      '--insecure',
      '--json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const { enrolment, stationId: id } = JSON.parse(out.stdout) as { stationId: string; enrolment: string };
    stationId = id;
    const lineFile = join(dir, 'enrolment.txt');
    writeFileSync(lineFile, enrolment, { mode: 0o600 });
    const joined = baglink(['join', '--data-dir', dir, '--enrolment-file', lineFile, '--insecure']);
    rmSync(lineFile);
    expect(joined.code, joined.stderr).toBe(0);
  }

  async function start(): Promise<Served> {
    served = await serve(dir);
    const login = await served.call('auth.login', { username: 'ana', password: 'a-long-password' });
    expect(login.ok, JSON.stringify(login)).toBe(true);
    return served;
  }
  async function stop(): Promise<void> {
    await served?.stop();
    served = undefined;
  }
  async function scan(code: string): Promise<void> {
    const r = await served!.call('scan.submit', { code });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  const synced = async () => {
    const s = (await served!.call('sync.status')).value as {
      outbox: { depth: number };
      lastError: string | null;
    };
    return s.outbox.depth === 0 && s.lastError === null;
  };
  async function centralScans(): Promise<{ codes: string[]; distinct: number }> {
    const rows = await db.query<{ code: string; id: string }>(
      'select code, id::text as id from scans where station_id = $1',
      [stationId],
    );
    return { codes: rows.map((r) => r.code).sort(), distinct: new Set(rows.map((r) => r.id)).size };
  }
  function stationScans(): { codes: string[]; counters: string[] } {
    const sqlite = new Database(join(dir, 'station.db'), { readonly: true });
    try {
      const codes = (sqlite.prepare('select code from scans').all() as { code: string }[]).map((r) => r.code);
      return { codes: codes.sort(), counters: counterMismatches(sqlite) };
    } finally {
      sqlite.close();
    }
  }

  it('backup while serving, restore refused while serving, then restored: every scan once, nothing lost', async () => {
    enrol('Dock R');
    await start();
    for (const c of ['SB00001', 'CH000001', 'CH000002']) await scan(c);
    await waitFor('the first scans to reach the centre', synced);

    const file = join(dir, '..', `${stationId}.backup`);
    const backup = baglink(['backup', '--data-dir', dir, '--out', file]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    for (const c of ['CH000003', 'CH000004']) await scan(c);
    await waitFor('the scans after the backup to reach the centre', synced);

    const refused = baglink(['restore', file, '--data-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('A station is running on');

    await stop();
    const restored = baglink(['restore', file, '--data-dir', dir]);
    expect(restored.code, restored.stderr).toBe(0);
    rmSync(file);
    await start();
    for (const c of ['SB00002', 'CH000005']) await scan(c);
    await waitFor('the restored station to recover and sync', synced);
    await waitFor('the centre to hold every scan', async () => (await centralScans()).codes.length === 7);
    await stop();

    const central = await centralScans();
    expect(central.distinct).toBe(7);
    expect(central.codes).toEqual(
      ['SB00001', 'CH000001', 'CH000002', 'CH000003', 'CH000004', 'SB00002', 'CH000005'].sort(),
    );
    const station = stationScans();
    expect(station.codes).toEqual(central.codes);
    expect(station.counters).toEqual([]);
  });

  it('a copy put back by hand is caught by sync and status, and "baglink recover" fixes it', async () => {
    enrol('Dock H');
    expect(baglink(['sync', '--once', '--data-dir', dir]).code).toBe(0);
    const file = join(dir, '..', `${stationId}.copy`);
    expect(baglink(['backup', '--data-dir', dir, '--out', file]).code).toBe(0);
    await start();
    for (const c of ['SB00001', 'CH000001']) await scan(c);
    await waitFor('the scans to reach the centre', synced);
    await stop();

    for (const side of ['-wal', '-shm']) rmSync(join(dir, `station.db${side}`), { force: true });
    copyFileSync(file, join(dir, 'station.db'));
    rmSync(file);
    const sync = baglink(['sync', '--once', '--data-dir', dir]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(formatError('sync_diverged'));
    const status = baglink(['status', '--data-dir', dir]);
    expect(status.stdout).toContain('baglink recover');

    const recover = baglink(['recover', '--data-dir', dir]);
    expect(recover.code, recover.stderr).toBe(0);
    expect(recover.stdout).toContain('Recovered as incarnation 2');
    // The reload says how far it is on stderr, in the lines "sync --once" and "join --load" print.
    expect(recover.stderr).toMatch(/^loading bags \d+/m);
    expect(recover.stderr).toMatch(/^loading scans \d+/m);
    expect(baglink(['sync', '--once', '--data-dir', dir]).code).toBe(0);
    expect(stationScans().codes).toEqual((await centralScans()).codes);
    expect((await centralScans()).codes).toEqual(['CH000001', 'SB00001']);
  });
});

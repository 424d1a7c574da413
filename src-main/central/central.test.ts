import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, decodeEnrolment, proofHash, type Enrolment } from './enrol.ts';
import { centralMigrationsFolder, migrateCentral } from './migrate.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { captureIo, runBaglink } from '../testing/cli.ts';
import { loadSyncConfig } from '../sync/config.ts';

async function asStation<T>(e: Enrolment, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: e.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('central schema, roles and enrolment', () => {
  let db: CentralDb;
  let station: Enrolment;
  beforeAll(async () => {
    db = await createCentralDb();
    station = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock 1',
      dispatchArea: 'north',
      insecure: true,
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies its migrations once: a second run changes nothing', async () => {
    const before = await db.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    const journal = JSON.parse(
      readFileSync(join(centralMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    expect(before[0]!.n).toBe(journal.entries.length);
    expect(await migrateCentral(db.adminUrl)).toEqual({ applied: 0 });
    const tables = await db.query<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((r) => r.t)).toEqual([
      'applied_batches',
      'audit',
      'bags',
      'bill_bags',
      'bill_weights',
      'bills',
      'central_settings',
      'changes',
      'conflicts',
      'links',
      'parent_weight_now',
      'parent_weights',
      'refusals',
      'scans',
      'stations',
      'users',
    ]);
  });

  it('enrols a station on the pooled login with its own secret, of which the centre keeps only the hash', async () => {
    const rows = await db.query<{
      name: string;
      dispatch_area: string;
      role_name: string | null;
      last_applied_seq: string;
      proof_hash: Buffer;
    }>('select * from stations where id = $1', [station.stationId]);
    expect(rows[0]).toMatchObject({
      name: 'Dock 1',
      dispatch_area: 'NORTH',
      last_applied_seq: '0',
      role_name: null,
    });
    const [login] = await db.query<{ value: string }>(
      `select value from central_settings where key = 'login_role'`,
    );
    expect(new URL(station.url).username).toBe(login!.value);
    expect(station.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.proof_hash.equals(proofHash(station.secret!))).toBe(true);
    expect(JSON.stringify(await db.query('select * from stations'))).not.toContain(station.secret);
    const hello = await asStation(
      station,
      async (c) =>
        (await c.query('select sync.hello($1, $2, 2, 1, 0, null) as r', [station.stationId, station.secret]))
          .rows[0].r,
    );
    expect(hello).toMatchObject({
      protocol: 2,
      name: 'Dock 1',
      dispatchArea: 'NORTH',
      lastAppliedSeq: 0,
      incarnation: 1,
      diverged: null,
    });
  });

  it('a station role cannot read or write any table, nor call the internal functions', async () => {
    const refused: string[] = [];
    await asStation(station, async (c) => {
      const tables = [
        'stations',
        'bags',
        'links',
        'bills',
        'bill_bags',
        'scans',
        'users',
        'audit',
        'conflicts',
        'changes',
        'applied_batches',
      ];
      for (const t of tables) {
        for (const sql of [
          `select * from public.${t} limit 1`,
          `delete from public.${t}`,
          `update public.${t} set id = id`,
          `insert into public.${t} default values`,
        ]) {
          const e = await c.query(sql).then(
            () => null,
            (err: { code?: string }) => err.code,
          );
          if (e === '42501') refused.push(sql);
        }
      }
      const internal = await c
        .query(`select public.ensure_bag(gen_random_uuid(), 'X', 'child', 'A', null, 0)`)
        .then(
          () => null,
          (err: { code?: string }) => err.code,
        );
      expect(internal).toBe('42501');
      const migrations = await c.query('select * from drizzle.__drizzle_migrations').then(
        () => null,
        (err: { code?: string }) => err.code,
      );
      expect(migrations).toBe('42501');
      expect(refused).toHaveLength(tables.length * 4);
    });
  });

  it('refuses a wrong or missing proof, and another station’s id with this proof, with 42501 and a sentence', async () => {
    const other = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock 2',
      dispatchArea: 'north',
      insecure: true,
    });
    const attempt = (id: string, proof: string | null) =>
      asStation(station, (c) =>
        c.query('select sync.push($1, $2, 2, $3)', [id, proof, '{"incarnation":1,"ops":[]}']).then(
          () => null,
          (e: { code?: string; message: string }) => e,
        ),
      );
    for (const err of [
      await attempt(station.stationId, 'f'.repeat(64)),
      await attempt(station.stationId, null),
      await attempt(other.stationId, station.secret!),
    ]) {
      expect(err?.code).toBe('42501');
      expect(err?.message).toMatch(
        /does not recognise station .* with this secret: ask IT for a new enrolment line/,
      );
    }
    const reply = await asStation(
      station,
      async (c) =>
        (await c.query('select sync.push($1, $2, 99, $3) as r', [station.stationId, station.secret, '[]']))
          .rows[0].r,
    );
    expect(reply).toEqual({ error: 'protocol', supported: 2 });
  });

  it('central add-station prints a line that join stores owner-readable only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baglink-join-'));
    try {
      const add = captureIo();
      const code = await runBaglink(
        ['central', 'add-station', '--url', db.adminUrl, '--name', 'Dock 3', '--area', 'south', '--json'],
        add.io,
      );
      expect(code).toBe(2);
      expect(add.err[0]).toMatch(/sslmode=\(none\): the station's secret would cross the network unchecked/);
      const args = ['central', 'add-station', '--url', db.adminUrl, '--name', 'Dock 3', '--area', 'south'];
      const added = captureIo();
      expect(await runBaglink([...args, '--insecure', '--json'], added.io), added.err.join('\n')).toBe(0);
      const { enrolment } = JSON.parse(added.out[0]!) as { enrolment: string };
      const { secret, url } = decodeEnrolment(enrolment);
      const password = new URL(url).password;
      const lineFile = join(dir, 'enrolment.txt');
      writeFileSync(lineFile, enrolment, { mode: 0o644 });
      chmodSync(lineFile, 0o644);
      const refusals = captureIo();
      expect(await runBaglink(['join', '--data-dir', dir, '--enrolment', enrolment], refusals.io)).toBe(2);
      expect(
        await runBaglink(
          ['join', '--data-dir', dir, '--enrolment-file', lineFile, '--insecure'],
          refusals.io,
        ),
      ).toBe(2);
      chmodSync(lineFile, 0o600);
      expect(await runBaglink(['join', '--data-dir', dir, '--enrolment-file', lineFile], refusals.io)).toBe(
        2,
      );
      expect(refusals.err[0]).toMatch(/never on the command line/);
      expect(refusals.err[1]).toMatch(/can be read by other users: make it readable by you only/);
      expect(refusals.err[2]).toMatch(/sslmode=\(none\)/);
      const join_ = captureIo();
      expect(
        await runBaglink(['join', '--data-dir', dir, '--enrolment-file', lineFile, '--insecure'], join_.io),
      ).toBe(0);
      expect(join_.out.join('\n')).not.toContain(password);
      expect(join_.out.join('\n')).not.toContain(secret);
      const file = join(dir, 'central.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(password);
      expect(loadSyncConfig(dir)?.dispatchArea).toBe('SOUTH');
      expect(join_.out.join('\n')).toContain('baglink sync --once');
      const status = captureIo();
      expect(await runBaglink(['status', '--data-dir', dir, '--json'], status.io)).toBe(0);
      expect(status.out.join('\n')).not.toContain(password);
      expect(status.out.join('\n')).not.toContain(secret);
      expect(JSON.parse(status.out.join('\n')).sync.state).toBe('stopped');
      const once = captureIo();
      expect(await runBaglink(['sync', '--once', '--data-dir', dir], once.io), once.err.join('\n')).toBe(0);
      expect(once.out[0]).toMatch(/^Pushed 0, pulled \d+; outbox 0 waiting\.$/);
      // The first sync is the snapshot load: it says what it loads and how far, on stderr.
      expect(
        once.err.some((l) => /^loading (users|bags|links|bills|bill_bags) \d/.test(l)),
        once.err.join('\n'),
      ).toBe(true);
      const bad = captureIo();
      writeFileSync(lineFile, 'nonsense', { mode: 0o600 });
      expect(await runBaglink(['join', '--data-dir', dir, '--enrolment-file', lineFile], bad.io)).toBe(2);
      expect(bad.err[0]).toMatch(/enrolment could not be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * IT's commands at the centre, through `baglink central ...` as IT types them, and what a station does when the
 * centre refuses it (revoked, or an old secret after a rotation): it says so in its status and keeps its scans.
 */
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import type { CliIo } from './io.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { SyncError } from '../sync/central-client.ts';
import { joinedStation, type SyncedStation } from '../sync/testing/stations.ts';

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: Readable.from([stdin]) };
  return { cli, out, err };
}

describe('baglink central for IT', () => {
  let db: CentralDb;
  let station: SyncedStation;
  const central = async (args: string[], stdin = '') => {
    const c = io(stdin);
    const code = await main(['central', ...args, '--url', db.adminUrl], c.cli);
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  };

  beforeAll(async () => {
    db = await createCentralDb();
    station = await joinedStation(db, 'Dock 1', 'NORTH');
  });
  afterAll(async () => {
    station?.dispose();
    await db?.drop();
  });

  it('set-user makes users and admins with hashes from standard input; a short PIN is refused', async () => {
    const short = await central(
      [
        'set-user',
        '--username',
        'Nina',
        '--role',
        'dock',
        '--areas',
        'north',
        '--password-stdin',
        '--with-pin',
      ],
      'a-long-password\n1234\n',
    );
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/PIN must be at least 6 digits/);
    const made = await central(
      [
        'set-user',
        '--username',
        'Nina',
        '--role',
        'dock',
        '--areas',
        'north,south',
        '--password-stdin',
        '--with-pin',
      ],
      'a-long-password\n123456\n',
    );
    expect(made, made.err).toMatchObject({ code: 0 });
    expect(made.out).toMatch(/Created dock nina \(areas NORTH, SOUTH\)/);
    expect(
      await central(
        ['set-user', '--username', 'root', '--role', 'admin', '--password-stdin'],
        'root-password\n',
      ),
    ).toMatchObject({ code: 0 });
    const rows = await db.query<{ username: string; areas: string[]; pin_hash: string | null }>(
      'select username, areas, pin_hash from users order by 1',
    );
    expect(rows.map((r) => [r.username, r.areas])).toEqual([
      ['nina', ['NORTH', 'SOUTH']],
      ['root', []],
    ]);
    expect(rows[0]!.pin_hash).toMatch(/^\$argon2id\$/);
    await station.engine.cycle();
    await station.login('nina').catch(() => undefined);
    expect(station.station.ctx.users.byUsername('nina')?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('set-station changes the area and capacity, which the station takes at its next sync', async () => {
    const changed = await central(['set-station', '--station', station.centralStationId, '--capacity', '12']);
    expect(changed, changed.err).toMatchObject({ code: 0 });
    await station.engine.cycle();
    expect(station.station.ctx.station.profile.parentCapacity).toBe(12);
    const status = await central(['status']);
    expect(status.out).toMatch(/Pull horizon: \d+ transaction\(s\) behind/);
    expect(status.out).toMatch(/Dock 1 \[.*\] area NORTH, capacity 12: seq \d+, last push/);
  });

  it('a revoked station is refused with a sentence, shows it, and keeps its scans until IT lets it back', async () => {
    await station.addUser('ana', 'admin');
    await station.login('ana');
    expect(await central(['revoke-station', '--station', station.centralStationId])).toMatchObject({
      code: 0,
    });
    await station.scan('SB00001');
    await station.scan('CH000001');
    const refused = await station.engine.cycle().then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(SyncError);
    expect((refused as SyncError).kind).toBe('revoked');
    const sync = station.station.status().sync;
    expect(sync.lastError).toMatch(
      /IT revoked station "Dock 1" at the centre on .*: ask IT to enrol it again/,
    );
    expect(sync.outbox.depth).toBe(2);

    const rotated = await central(['rotate-secret', '--station', station.centralStationId]);
    expect(rotated.code).toBe(0);
    const secret = rotated.out.split('\n')[1]!.trim();
    // The old secret is refused now, with its own sentence; nothing is lost.
    const stale = await station.engine.cycle().then(
      () => null,
      (e: unknown) => e as SyncError,
    );
    expect(stale?.kind).toBe('wrong_proof');
    expect(station.station.status().sync.lastError).toMatch(/does not recognise station .* with this secret/);
    expect(station.station.status().sync.lastError).not.toContain(secret);

    const c = io(`${secret}\n`);
    expect(await main(['join', '--data-dir', station.dir, '--secret-stdin'], c.cli)).toBe(0);
    await station.engine.cycle();
    expect(station.station.status().sync.outbox.depth).toBe(0);
    expect(await db.query(`select count(*)::int as n from scans`)).toEqual([{ n: 2 }]);
  });

  it('status names the transaction that holds the pull horizon back', async () => {
    const holder = new pg.Client({ connectionString: db.adminUrl, application_name: 'long report' });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_current_xact_id()');
      await db.query(`insert into refusals (station_id, op, kind) values ($1, 'x', 'x')`, [
        station.centralStationId,
      ]);
      const status = await central(['status', '--json']);
      const s = JSON.parse(status.out) as {
        horizon: { lagXids: number; oldest: { applicationName: string } | null };
      };
      expect(s.horizon.lagXids).toBeGreaterThan(0);
      expect(s.horizon.oldest?.applicationName).toBe('long report');
      const text = await central(['status']);
      expect(text.out).toMatch(/oldest open transaction: pid \d+, \d+ s, "long report"/);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
  });

  it('status shows each station’s outbox as the station reported it at its last sync', async () => {
    const offline = await joinedStation(db, 'Dock 2', 'NORTH');
    try {
      expect((await central(['status'])).out).toMatch(/Dock 2 \[.*\n {2}outbox: not reported/);
      await offline.addUser('olu', 'admin');
      await offline.login('olu');
      offline.clock.advance(1_000);
      await offline.scan('SB00002');
      await offline.scan('CH000002');
      offline.clock.advance(90_000);
      // hello reports before the push: two waiting, the oldest made 90 s before.
      await offline.engine.cycle();
      const [row] = await db.query<{ depth: string; age: number }>(
        `select outbox_depth as depth, extract(epoch from outbox_reported_at - outbox_oldest_at)::int as age
         from stations where id = $1`,
        [offline.centralStationId],
      );
      expect(row).toEqual({ depth: '2', age: 90 });
      const status = JSON.parse((await central(['status', '--json'])).out) as {
        stations: { name: string; outbox: { depth: number; oldestUnsentAt: string | null } | null }[];
      };
      expect(status.stations.find((st) => st.name === 'Dock 2')?.outbox).toMatchObject({
        depth: 2,
        oldestUnsentAt: expect.any(String),
      });
      expect((await central(['status'])).out).toMatch(
        /Dock 2 \[.*\n {2}outbox: 2 waiting, oldest made \d{4}-\d\d-\d\d .*\(reported /,
      );
      await offline.engine.cycle();
      expect((await central(['status'])).out).toMatch(/Dock 2 \[.*\n {2}outbox: empty \(reported /);
    } finally {
      offline.dispose();
    }
  });

  it('lists refusals for IT', async () => {
    await db.query(
      `insert into refusals (station_id, seq, op, kind, actor, subject) values ($1, 9, 'bill.complete', 'bill_other_area', 'nina', 'S-1')`,
      [station.centralStationId],
    );
    const listed = await central(['refusals']);
    expect(listed.out).toMatch(/Dock 1 seq 9 bill\.complete: refused bill_other_area \(actor nina\) on S-1/);
  });
});

import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStation } from '../testing/test-station.ts';
import { localMigrationsFolder, openStore } from './open.ts';

interface Journal {
  entries: { idx: number; tag: string }[];
}

const journal = JSON.parse(
  readFileSync(join(localMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
) as Journal;

/** A copy of the migrations folder that stops after `count` migrations: a database of an older version. */
function migrationsUpTo(dir: string, count: number): string {
  const folder = join(dir, `migrations-${count}`);
  mkdirSync(folder, { recursive: true });
  cpSync(localMigrationsFolder, folder, { recursive: true });
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }),
  );
  return folder;
}

describe('local migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are numbered in order, one file each', () => {
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
    for (const e of journal.entries) expect(e.tag.startsWith(String(e.idx).padStart(4, '0'))).toBe(true);
  });

  it('opening twice applies nothing the second time', () => {
    const first = openStore(dir, { create: true });
    const count = (
      first.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }
    ).n;
    first.sqlite.close();
    const second = openStore(dir, { create: true });
    const again = (
      second.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }
    ).n;
    second.sqlite.close();
    expect(count).toBe(journal.entries.length);
    expect(again).toBe(count);
  });

  // Each migration runs on a database of the version before it, holding real data, and keeps that data.
  for (let k = 1; k <= journal.entries.length; k++) {
    it(`${journal.entries[k - 1]!.tag} upgrades a station of the previous version`, async () => {
      const dataDir = join(dir, 'station');
      mkdirSync(dataDir);
      const old = new Database(join(dataDir, 'station.db'));
      migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, k - 1) });
      old.close();
      if (k > 1) {
        // A station with data at the previous version: users, a parent, a link, a scan, an outbox row.
        const older = new Database(join(dataDir, 'station.db'));
        older.exec(`insert into station (singleton, station_id, name, dispatch_area, profile, created_at, updated_at)
          values (1, 'st-1', 'Dock 1', 'MAIN', '{}', 1, 1)`);
        older.exec(`insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, station_id, updated_at)
          values ('p1', 'SB00001', 'parent', 'MAIN', 1, 1, 'st-1', 1), ('c1', 'CHILD001', 'child', 'MAIN', 0, 1, 'st-1', 1)`);
        older.exec(
          `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values ('l1', 'c1', 'p1', 1, 'u', 'st-1')`,
        );
        older.exec(`insert into outbox (id, op, payload, created_at) values ('o1', 'scan', '{}', 1)`);
        older.close();
      }
      const station = openStation(dataDir);
      try {
        const db = station.ctx.sqlite;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const applied = db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
        expect(applied.n).toBe(journal.entries.length);
        if (k > 1) {
          expect(station.ctx.station.name).toBe('Dock 1');
          expect(station.ctx.bags.byCode('CHILD001')).toMatchObject({ kind: 'child' });
          expect(station.ctx.bags.activeLinkOfChild('c1')?.parentCode).toBe('SB00001');
          expect(station.status().outbox.depth).toBe(1);
        }
      } finally {
        station.close();
      }
    });
  }
});

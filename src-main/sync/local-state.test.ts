import type Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncStateRepo } from './local-state.ts';
import { localMigrationsFolder, openStore } from '../store/open.ts';

const journal = JSON.parse(readFileSync(join(localMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string; when: number }[];
};
const syncTables = journal.entries.find((e) => e.tag === '0002_sync_tables')!;

/** What createSyncStateRepo ran on every open before the tables were a migration. */
const OLD_SYNC_TABLES = `
  create table if not exists sync_state (
    singleton integer primary key check (singleton = 1),
    cursor_xid text not null default '0',
    cursor_id integer not null default 0,
    last_push_at integer,
    last_pull_at integer,
    last_success_at integer,
    last_error text,
    last_error_at integer
  );
  insert or ignore into sync_state (singleton) values (1);
  create table if not exists sync_conflicts (
    id integer primary key autoincrement,
    central_id integer not null unique,
    seq integer not null,
    op text not null,
    kind text not null,
    local text not null,
    central text,
    created_at integer not null,
    resolved_at integer,
    resolved_by text,
    resolution text
  );`;

const syncTableNames = ['sync_conflicts', 'sync_snapshot', 'sync_snapshot_indexes', 'sync_state'];

const tables = (db: Database.Database) =>
  (
    db
      .prepare(`select name from sqlite_master where type = 'table' and name like 'sync_%' order by name`)
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('sync bookkeeping tables (drizzle/local 0002_sync_tables)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-sync-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a new station has the sync tables and the one sync_state row as soon as it is opened', () => {
    const { sqlite } = openStore(dir, { create: true });
    try {
      expect(tables(sqlite)).toEqual(syncTableNames);
      expect(sqlite.prepare('select * from sync_state').all()).toEqual([
        {
          singleton: 1,
          cursor_xid: '0',
          cursor_id: 0,
          last_push_at: null,
          last_pull_at: null,
          last_success_at: null,
          last_error: null,
          last_error_at: null,
          incarnation: 1,
          diverged: null,
          recovery: null,
          horizon_wait: null,
        },
      ]);
      expect(() => sqlite.exec('insert into sync_state (singleton) values (2)')).toThrow(/CHECK/);

      const repo = createSyncStateRepo(sqlite);
      expect(repo.read()).toMatchObject({ cursorXid: '0', cursorId: 0, lastSuccessAt: null });
      const conflict = {
        centralId: 7,
        seq: 1,
        op: 'link',
        kind: 'child_elsewhere',
        local: {},
        central: null,
      };
      repo.addConflict(conflict, 10);
      repo.addConflict(conflict, 11); // the centre reports it again: kept once (central_id is unique)
      expect(repo.openConflictCount()).toBe(1);
    } finally {
      sqlite.close();
    }
  });

  it('upgrades a station whose sync worker already created the tables, keeping their rows', () => {
    // A station at 0001 whose sync worker had run: the tables made by the old code path, with a cursor and a
    // conflict in them, and neither 0002 nor a later migration in __drizzle_migrations.
    const first = openStore(dir, { create: true });
    first.sqlite.exec(
      'drop table sync_conflicts; drop table sync_state; drop table sync_snapshot; drop table sync_snapshot_indexes',
    );
    // What the later migrations added outside the sync tables goes too (0006: scale, printer, weights, labels).
    first.sqlite.exec(
      `drop table parent_weights; drop table print_jobs; alter table station drop column scale;
       alter table station drop column printer; alter table station drop column weigh_pending_parent_id;
       drop index scans_parent_full_at`,
    );
    first.sqlite.prepare('delete from __drizzle_migrations where created_at >= ?').run(syncTables.when);
    first.sqlite.exec(OLD_SYNC_TABLES);
    first.sqlite.exec(`update sync_state set cursor_xid = '812', cursor_id = 44, last_success_at = 5`);
    first.sqlite.exec(`insert into sync_conflicts (central_id, seq, op, kind, local, created_at)
      values (901, 3, 'link', 'child_elsewhere', '{"child":"C1"}', 4)`);
    const schemaBefore = first.sqlite
      .prepare(`select name, sql from sqlite_master where name like '%sync_conflicts%' order by name`)
      .all();
    first.sqlite.close();

    const { sqlite } = openStore(dir, { create: true });
    try {
      const applied = sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
      expect(applied.n).toBe(journal.entries.length);
      expect(tables(sqlite)).toEqual(syncTableNames);
      // The old tables are kept as they were (no second unique index on central_id).
      expect(
        sqlite
          .prepare(`select name, sql from sqlite_master where name like '%sync_conflicts%' order by name`)
          .all(),
      ).toEqual(schemaBefore);
      const repo = createSyncStateRepo(sqlite);
      expect(repo.read()).toMatchObject({ cursorXid: '812', cursorId: 44, lastSuccessAt: 5 });
      expect(sqlite.prepare('select count(*) as n from sync_state').get()).toEqual({ n: 1 });
      expect(repo.openConflicts()).toMatchObject([
        { centralId: 901, seq: 3, kind: 'child_elsewhere', local: { child: 'C1' }, central: null },
      ]);
    } finally {
      sqlite.close();
    }
  });
});

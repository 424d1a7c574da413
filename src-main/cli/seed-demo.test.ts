import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PIN } from '../bench/seed.ts';
import { createStation } from '../app/station.ts';
import { readCounters, recountedCounters } from '../store/testing/ledger-oracle.ts';
import { main } from './main.ts';

/** Integer columns that hold times; SQLite would keep a fractional value in them as a REAL. */
const timeColumns: [string, string][] = [
  ['bags', 'first_seen_at'],
  ['bags', 'updated_at'],
  ['scans', 'at'],
  ['links', 'linked_at'],
  ['bills', 'created_at'],
  ['bills', 'completed_at'],
  ['bills', 'updated_at'],
  ['bill_bags', 'added_at'],
  ['users', 'created_at'],
];

describe('baglink seed-demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-seed-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes whole-number times, and gives every demo user their own password and PIN hashes', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l), stdin: Readable.from(['']) };
    expect(await main(['seed-demo', '--bags', '620', '--data-dir', dir], io), err.join('\n')).toBe(0);

    const db = new Database(join(dir, 'station.db'), { readonly: true });
    try {
      for (const [table, column] of timeColumns) {
        const real = db.prepare(`select count(*) as n from ${table} where typeof(${column}) = 'real'`).get();
        expect([table, column, real]).toEqual([table, column, { n: 0 }]);
      }
      const hashes = db
        .prepare(
          `select count(*) as users, count(distinct password_hash) as passwords, count(distinct pin_hash) as pins
           from users`,
        )
        .get();
      expect(hashes).toEqual({ users: 7, passwords: 7, pins: 7 });
    } finally {
      db.close();
    }

    const station = createStation({ dataDir: dir });
    try {
      expect(DEMO_PIN).toMatch(/^\d{6,}$/);
      const byBadge = await station.login({ badge: 'BADGE-RAVI', pin: DEMO_PIN });
      expect(byBadge.operator.username).toBe('ravi');
      const byPassword = await station.login({ username: 'meena', password: DEMO_PASSWORD });
      expect(byPassword.operator.role).toBe('supervisor');
    } finally {
      station.close();
    }
  });

  it('ends with recountAll(): the totals and dashboard counters say what the seeded rows say', async () => {
    const io = { out: () => undefined, err: () => undefined, stdin: Readable.from(['']) };
    expect(await main(['seed-demo', '--bags', '620', '--data-dir', dir], io)).toBe(0);
    const db = new Database(join(dir, 'station.db'));
    try {
      const kept = readCounters(db);
      expect(kept.totals).toMatchObject({ parents: 20, children: 600, links: 600, full_parents: 20 });
      expect(kept.dayCounters).not.toEqual({});
      expect(recountedCounters(db)).toEqual(kept);
    } finally {
      db.close();
    }
  });
});

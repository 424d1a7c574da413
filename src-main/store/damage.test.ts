import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

/** Overwrites the start of every page of one table's b-tree in the file, as a failing disk would. */
function scribble(dbPath: string, table: string): number {
  const db = new Database(dbPath, { readonly: true });
  const pages = db.prepare(`select pageno from dbstat where name = ?`).all(table) as { pageno: number }[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(dbPath, 'r+');
  for (const { pageno } of pages) writeSync(fd, Buffer.alloc(32, 0xa5), 0, 32, (pageno - 1) * pageSize);
  closeSync(fd);
  return pages.length;
}

describe('a corruption error while the station runs', () => {
  let t: TestStation;
  afterEach(() => t.dispose());

  it('is answered station_damaged with what to do, after quick_check, not internal', async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.login('admin');
    await t.scan('SB00001');
    for (let n = 0; n < 400; n++) await t.scan(`CHILD${String(n).padStart(4, '0')}`);
    t.station.close();
    expect(scribble(join(t.dir, 'station.db'), 'scans')).toBeGreaterThan(1);
    // A clean shutdown before the damage: the start does not check the whole file, and opens.
    t.reopen();
    await t.login('admin');
    const answer = await t.api.dispatch('bags.lookup', { code: 'CHILD0001' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'station_damaged' } });
    expect(!answer.ok && answer.error.message).toMatch(
      /^The station database .*station\.db is damaged \(.+\), so the station will not use it: restore a backup/,
    );
    // From then on every call is refused with it: nothing more goes into a damaged file.
    expect(await t.api.dispatch('scan.submit', { code: 'CHILD9999' })).toMatchObject({
      ok: false,
      error: { code: 'station_damaged' },
    });
  });
});

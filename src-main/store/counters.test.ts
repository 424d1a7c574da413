import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayAndHour } from '../../src-shared/clock.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { readCounters, recountedCounters } from './testing/ledger-oracle.ts';
import { createTotalsWriter, TOTAL_NAMES } from './total-names.ts';

/**
 * The dashboard reads maintained counters instead of COUNT(*): after a mixed session with every kind of change
 * and refusal, the counters must say exactly what the real tables say.
 */
describe('maintained counters', () => {
  let t: TestStation;
  const all = <T>(sql: string) => t.station.ctx.sqlite.prepare(sql).all() as T[];
  const one = (sql: string) => (t.station.ctx.sqlite.prepare(sql).get() as { n: number }).n;

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('dock2', 'dock');
    await t.addUser('sup', 'supervisor');
  });
  afterEach(() => t.dispose());

  async function mixedSession() {
    await t.login('dock1');
    await t.scan('SB00001');
    for (let i = 1; i <= 31; i++) await t.scan(child(i)); // 30 linked, the 31st refused: parent_full
    await t.scan('NOT-A-BAG'); // invalid_code
    await t.scan('NOT-A-BAG'); // double read
    t.clock.advance(2000);
    await t.scan(child(5)); // already_linked
    await t.scan('M444-00002');
    for (let i = 40; i < 43; i++) await t.scan(child(i));
    await t.scan(child(7)); // linked_elsewhere
    await t.call('scan.undoLast', {});
    t.clock.advance(3600_000);
    await t.call('auth.logout', {});
    await t.scan('SB00003'); // not_logged_in
    await t.login('dock2');
    await t.scan(child(50)); // no_active_parent
    await t.scan('SB00003');
    await t.scan(child(51));
    await t.scan(child(52));
    await t.login('sup');
    await t.call('links.move', { child: child(1), toParent: 'SB00003', reason: 'wrong parent' });
    await t.call('links.remove', { child: child(40), reason: 'wrong parent' });
    await t.call('bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 2 });
    await t.call('bills.create', { billNo: 'B-2', destination: 'Agra', vehicleNo: 'UP80', capacity: 5 });
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await t.call('bills.addParent', { billNo: 'B-1', parent: 'SB00003' });
    await t.refusal('bills.addParent', { billNo: 'B-1', parent: 'M444-00002' }); // bill_full
    await t.call('bills.addParent', { billNo: 'B-2', parent: 'M444-00002' });
    await t.call('bills.removeParent', { billNo: 'B-2', parent: 'M444-00002' });
    await t.call('bills.complete', { billNo: 'B-1' });
    await t.call('bills.reopen', { billNo: 'B-1' });
    await t.call('bills.complete', { billNo: 'B-1' });
    // Late in the evening and on past midnight, so the counters span two days and several hours.
    const { hour } = dayAndHour(t.clock.now());
    t.clock.advance((23 - hour) * 3600_000 + 50 * 60_000);
    await t.login('dock1');
    await t.scan('SB00004');
    await t.scan(child(60));
    t.clock.advance(20 * 60_000);
    await t.scan(child(61));
    await t.scan('X1');
  }

  it('totals match the bags, links and bills tables', async () => {
    await mixedSession();
    const totals = Object.fromEntries(
      all<{ name: string; n: number }>(`select name, n from totals`).map((r) => [r.name, r.n]),
    );
    expect(totals).toMatchObject({
      bags: one(`select count(*) as n from bags`),
      parents: one(`select count(*) as n from bags where kind = 'parent'`),
      children: one(`select count(*) as n from bags where kind = 'child'`),
      links: one(`select count(*) as n from links where removed_at is null`),
      full_parents: one(`select count(*) as n from bags where kind = 'parent' and child_count >= 30`),
      bills_open: one(`select count(*) as n from bills where status = 'open'`),
      bills_completed: one(`select count(*) as n from bills where status = 'completed'`),
      scans_rejected: one(`select count(*) as n from scans where action = 'rejected'`),
    });
    // A sanity check that the session did what it says: a full parent that lost one child is no longer full.
    expect(totals).toMatchObject({ parents: 4, links: 30 + 2 + 2 + 2 - 1, full_parents: 0, bills_open: 1 });
  });

  it('each parent counts its active links and each bill its parents and their children', async () => {
    await mixedSession();
    const parents = all<{ code: string; childCount: number; real: number }>(
      `select p.code, p.child_count as childCount,
         (select count(*) from links l where l.parent_id = p.id and l.removed_at is null) as real
       from bags p where p.kind = 'parent'`,
    );
    expect(parents).toHaveLength(4);
    for (const p of parents) expect([p.code, p.childCount]).toEqual([p.code, p.real]);
    const bills = all<{
      billNo: string;
      parentCount: number;
      childCount: number;
      realParents: number;
      realChildren: number;
    }>(
      `select b.bill_no as billNo, b.parent_count as parentCount, b.child_count as childCount,
         (select count(*) from bill_bags bb where bb.bill_id = b.id and bb.removed_at is null) as realParents,
         (select coalesce(sum(p.child_count), 0) from bill_bags bb join bags p on p.id = bb.parent_id
            where bb.bill_id = b.id and bb.removed_at is null) as realChildren
       from bills b`,
    );
    expect(bills).toHaveLength(2);
    for (const b of bills)
      expect(b).toEqual({ ...b, parentCount: b.realParents, childCount: b.realChildren });
    expect(bills.find((b) => b.billNo === 'B-1')).toMatchObject({ parentCount: 2, childCount: 29 + 3 });
  });

  it('a total is named from the one list: a misspelt name does not compile', () => {
    const totals = createTotalsWriter(t.station.ctx.sqlite);
    // Never called: the type check is the test.
    // @ts-expect-error 'link' is not a total's name
    const misspelt = () => totals.add('link', 1);
    expect(typeof misspelt).toBe('function');
    expect(TOTAL_NAMES).toContain('links');
  });

  it('every counter the ledger kept equals what recountAll() makes of the rows', async () => {
    await mixedSession();
    const sqlite = t.station.ctx.sqlite;
    const kept = readCounters(sqlite);
    expect(recountedCounters(sqlite)).toEqual(kept);
    // The recount ran on a copy: the kept counters are as they were, and say something.
    expect(readCounters(sqlite)).toEqual(kept);
    expect(kept.totals).toMatchObject({ parents: 4, bills_completed: 1, scans_rejected: 6 });
    expect(Object.values(kept.scanCounters).length).toBeGreaterThan(5);
  });

  it('after a capacity change, a parent over the new capacity that loses a child, and a reopened bill', async () => {
    await mixedSession();
    await t.login('admin');
    await t.call('settings.update', { profile: { parentCapacity: 2 } });
    await t.login('sup');
    await t.call('bills.reopen', { billNo: 'B-1' });
    await t.call('links.remove', { child: child(51), reason: 'over the new capacity' });
    await t.call('links.remove', { child: child(52), reason: 'emptied' });
    await t.call('bills.removeParent', { billNo: 'B-1', parent: 'SB00003' });
    const sqlite = t.station.ctx.sqlite;
    expect(recountedCounters(sqlite)).toEqual(readCounters(sqlite));
  });

  it('scan counters per day, hour, user and action match the scan log', async () => {
    await mixedSession();
    const real = new Map<string, number>();
    const realDays = new Map<string, number>();
    const parentsSeen = new Set<string>();
    for (const s of all<{ at: number; userId: string | null; action: string; outcome: string; code: string }>(
      `select at, user_id as userId, action, outcome, code from scans order by id`,
    )) {
      // Reads that change nothing are counted apart: a repeat link and a known parent scanned again.
      let counter = s.action;
      if (s.outcome === 'already_linked') counter = 'already_linked';
      if (s.action === 'parent') {
        if (parentsSeen.has(s.code)) counter = 'parent_again';
        parentsSeen.add(s.code);
      }
      const { day, hour } = dayAndHour(s.at);
      const key = `${day} ${hour} ${s.userId ?? ''} ${counter}`;
      real.set(key, (real.get(key) ?? 0) + 1);
      realDays.set(`${day} ${counter}`, (realDays.get(`${day} ${counter}`) ?? 0) + 1);
    }
    const kept = new Map(
      all<{ day: string; hour: number; userId: string; action: string; n: number }>(
        `select day, hour, user_id as userId, action, n from scan_counters`,
      ).map((c) => [`${c.day} ${c.hour} ${c.userId} ${c.action}`, c.n]),
    );
    expect(kept).toEqual(real);
    const keptDays = new Map(
      all<{ day: string; action: string; n: number }>(`select day, action, n from day_counters`).map((c) => [
        `${c.day} ${c.action}`,
        c.n,
      ]),
    );
    expect(keptDays).toEqual(realDays);
    expect(new Set([...realDays.keys()].map((k) => k.split(' ')[0])).size).toBe(2);
  });
});

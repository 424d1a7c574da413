import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { createBulkLedger } from './ledger-bulk.ts';
import type { NewWeightRow } from './weight-repo.ts';

/** The weights' statements stay index probes, and the snapshot's bulk links stale weights like single links. */
describe('parent weights in the store', () => {
  let t: TestStation;
  const sqlite = () => t.station.ctx.sqlite;
  const plan = (sql: string, ...args: unknown[]) =>
    (
      sqlite()
        .prepare(`explain query plan ${sql}`)
        .all(...args) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
  const weigh = (parentId: string, at: number, kg = 3): NewWeightRow => ({
    id: uuidv7(),
    parentId,
    state: 'recorded',
    kg,
    tareKg: 0.5,
    childCount: 3,
    expectedKg: 3.5,
    check: 'ok',
    scale: null,
    raw: null,
    userId: null,
    stationId: t.station.ctx.station.stationId,
    at,
  });

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.login('admin');
  });
  afterEach(() => t.dispose());

  it('marks stale through the parent index: the per-link cost is one probe', () => {
    expect(plan(`update parent_weights set stale_at = 1 where parent_id = 'x' and stale_at is null`)).toMatch(
      /USING INDEX parent_weights_parent \(parent_id=\?\)/,
    );
  });

  it("reads a day's weighings by time and the waiting ones through their partial index", () => {
    expect(plan(`select count(*) from parent_weights where at >= 1 and at < 2`)).toMatch(
      /USING COVERING INDEX parent_weights_at/,
    );
    expect(
      plan(`select count(*) from parent_weights w where w.check_result = 'off' and w.ack_at is null
            and w.stale_at is null`),
    ).toMatch(/USING INDEX parent_weights_unacknowledged/);
  });

  it("reads the day's completed parents through today's full-parent reads, not every scan of the day", () => {
    expect(
      plan(`select count(*) from scans s where s.at >= 1 and s.at < 2 and s.action = 'link'
            and s.outcome = 'parent_full'`),
    ).toMatch(/USING INDEX scans_parent_full_at/);
  });

  it('keeps the newest row of a parent, and acknowledges only an off one once', async () => {
    await t.scan('SB00001');
    const repo = t.station.ctx.weights;
    const parent = t.station.ctx.bags.byCode('SB00001')!;
    expect(repo.newestOf(parent.id)).toBeUndefined();
    const first = weigh(parent.id, 100);
    const second = { ...weigh(parent.id, 100, 9), check: 'off' as const };
    repo.insert(first);
    repo.insert(second); // same moment: the later id is the newer row
    expect(repo.newestOf(parent.id)).toMatchObject({ id: second.id, kg: 9, parentCode: 'SB00001' });
    expect(repo.acknowledge(first.id, 'sup', 200)).toBe(false);
    expect(repo.acknowledge(second.id, 'sup', 200)).toBe(true);
    expect(repo.acknowledge(second.id, 'sup', 300)).toBe(false);
    expect(repo.newestOf(parent.id)).toMatchObject({ ackBy: 'sup', ackAt: 200 });
    expect(repo.markStale(parent.id, 400)).toBe(2);
    expect(repo.markStale(parent.id, 500)).toBe(0);
  });

  it('the ledger stales on every link made or ended, as the sync applier calls it, and not on a no-op', async () => {
    await t.scan('SB00001');
    await t.scan(child(1));
    const ctx = t.station.ctx;
    const parent = ctx.bags.byCode('SB00001')!;
    const link = ctx.bags.activeLinkOfChild(ctx.bags.byCode(child(1))!.id)!;
    const stale = () => ctx.weights.newestOf(parent.id)!.staleAt;
    ctx.weights.insert(weigh(parent.id, 100));
    sqlite()
      .transaction(() => ctx.ledger.unlink('no-such-link', 200, 'centre', parent, null))
      .immediate();
    expect(stale()).toBeNull();
    sqlite()
      .transaction(() => ctx.ledger.unlink(link.id, 300, 'centre', ctx.bags.byId(parent.id)!, null))
      .immediate();
    expect(stale()).toBe(300);
    ctx.weights.insert(weigh(parent.id, 400));
    sqlite()
      .transaction(() =>
        ctx.ledger.link(
          {
            id: uuidv7(),
            childId: link.childId,
            parentId: parent.id,
            at: 500,
            userId: 'centre',
            stationId: 'centre',
            scanId: null,
          },
          ctx.bags.byId(parent.id)!,
          null,
        ),
      )
      .immediate();
    expect(stale()).toBe(500);
  });

  it('the bulk ledger stales weighings taken before a page of links of their parent, not after', async () => {
    await t.scan('SB00001');
    await t.scan('SB00002');
    await t.scan(child(1));
    await t.call('scan.closeParent');
    const ctx = t.station.ctx;
    const [p1, p2] = ['SB00001', 'SB00002'].map((c) => ctx.bags.byCode(c)!);
    ctx.weights.insert(weigh(p1!.id, 1000)); // before the page's link into SB00001
    ctx.weights.insert(weigh(p2!.id, 9000)); // after the page's link into SB00002
    const bulk = createBulkLedger(sqlite(), () => 30);
    const insertChild = sqlite().prepare(
      `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, station_id, updated_at)
       values (?, ?, 'child', 'MAIN', 0, 0, 'centre', 0)`,
    );
    const insertLink = sqlite().prepare(
      `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id) values (?, ?, ?, ?, 'x', 'centre')`,
    );
    sqlite()
      .transaction(() => {
        const mark = bulk.linksMark();
        for (const [i, parent] of [
          [2, p1!],
          [3, p2!],
        ] as const) {
          const id = uuidv7();
          insertChild.run(id, child(i));
          insertLink.run(uuidv7(), id, parent.id, 5000);
        }
        bulk.linksAdded(mark, 2, 9999);
      })
      .immediate();
    expect(ctx.weights.newestOf(p1!.id)!.staleAt).toBe(9999);
    expect(ctx.weights.newestOf(p2!.id)!.staleAt).toBeNull();
  });
});

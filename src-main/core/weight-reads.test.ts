import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BagStory, BillDetail, BillSummary, Operator } from '../../src-shared/domain.ts';
import type { StationProfile } from '../../src-shared/profile.ts';
import type { Dashboard } from '../../src-shared/status.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { createWeightService, type WeightService } from './weight-service.ts';

/** Where recorded weights are read: bills, look-up and the dashboard (defaults: 1 kg a child, 0.5 kg tare). */
describe('recorded weights in bills, look-up and the dashboard', () => {
  let t: TestStation;
  let w: WeightService;
  const op = (): Operator => t.station.session.operator()!;
  const reading = (kg: number) => ({ kg, raw: `${kg}`, scale: 'scale-1', at: t.clock.now() });

  async function fill(code: string, n: number, from = 0): Promise<void> {
    await t.scan(code);
    for (let i = 1; i <= n; i++) await t.scan(child(from + i));
  }
  async function settings(profile: Partial<StationProfile>): Promise<void> {
    await t.login('admin');
    await t.call('settings.update', { profile });
    await t.login('sup');
  }
  const bill = (billNo: string) => t.call<BillDetail>('bills.get', { billNo });

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
    w = createWeightService(t.station.ctx);
  });
  afterEach(() => t.dispose());

  describe('bills', () => {
    beforeEach(async () => {
      for (const billNo of ['B-1', 'B-2', 'B-3']) {
        await t.call('bills.create', { billNo, destination: 'Pune', vehicleNo: 'MH12', capacity: 3 });
      }
      await fill('SB00001', 3);
      await fill('SB00002', 2, 10);
      await fill('SB00003', 4, 20);
      await fill('SB00004', 1, 30);
      await fill('SB00005', 2, 40);
      await t.call('scan.closeParent');
      for (const [billNo, parent] of [
        ['B-1', 'SB00001'],
        ['B-1', 'SB00002'],
        ['B-2', 'SB00003'],
        ['B-3', 'SB00004'],
        ['B-3', 'SB00005'],
      ] as const) {
        await t.call('bills.addParent', { billNo, parent });
      }
    });

    it('with no weights keep the estimate they always had, marked estimated', async () => {
      const b = await bill('B-1');
      expect(b).toMatchObject({ actualWeightKg: 5, weightEstimated: true, weighedParents: 0 });
      expect(b.parents.map((p) => p.weight)).toMatchObject([
        { parentCode: 'SB00001', state: 'estimated', kg: null, childCount: 3, expectedKg: 3.5 },
        { parentCode: 'SB00002', state: 'estimated', kg: null, childCount: 2, expectedKg: 2.5 },
      ]);
    });

    it('add recorded weights where parents have one and estimates for the rest, in the list too', async () => {
      w.record(op(), 'SB00001', reading(3.6)); // B-1: 3.6 recorded + 2 estimated
      w.record(op(), 'SB00003', reading(4.4)); // B-2: all recorded
      w.record(op(), 'SB00004', reading(1.3)); // B-3: recorded, then stale; SB00005 put off
      await fill('SB00004', 2, 30); // SB00004 again: CH000031 already linked, CH000032 makes it stale
      await t.call('scan.closeParent');
      w.later(op(), 'SB00005');

      const b1 = await bill('B-1');
      expect(b1).toMatchObject({ actualWeightKg: 5.6, weightEstimated: true, weighedParents: 1 });
      expect(b1.parents.map((p) => [p.code, p.weight?.state, p.weight?.kg])).toEqual([
        ['SB00001', 'recorded', 3.6],
        ['SB00002', 'estimated', null],
      ]);
      expect(await bill('B-2')).toMatchObject({
        actualWeightKg: 4.4,
        weightEstimated: false,
        weighedParents: 1,
      });
      const b3 = await bill('B-3');
      expect(b3).toMatchObject({
        childCount: 4,
        actualWeightKg: 4,
        weightEstimated: true,
        weighedParents: 0,
      });
      expect(b3.parents.map((p) => p.weight?.state)).toEqual(['stale', 'later']);

      const list = await t.call<BillSummary[]>('bills.list', {});
      const byNo = new Map(list.map((b) => [b.billNo, b]));
      expect(byNo.get('B-1')).toMatchObject({
        actualWeightKg: 5.6,
        weightEstimated: true,
        weighedParents: 1,
      });
      expect(byNo.get('B-2')).toMatchObject({ actualWeightKg: 4.4, weightEstimated: false });
      expect(byNo.get('B-3')).toMatchObject({ actualWeightKg: 4, weightEstimated: true });
    });

    it('read a weighed parent taken off the bill no more', async () => {
      w.record(op(), 'SB00001', reading(3.6));
      await t.call('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' });
      expect(await bill('B-1')).toMatchObject({ actualWeightKg: 2, weighedParents: 0 });
    });
  });

  describe('look-up', () => {
    it("shows a parent's weight (estimated when never weighed) and its labels, newest first", async () => {
      await fill('SB00001', 2);
      let story = await t.call<BagStory>('bags.lookup', { code: 'SB00001' });
      expect(story.weight).toMatchObject({ state: 'estimated', childCount: 2, expectedKg: 2.5 });
      expect(story.labels).toEqual([]);

      w.record(op(), 'SB00001', reading(2.4));
      const insert = t.station.ctx.sqlite.prepare(
        `insert into print_jobs (parent_code, reason, requested_by, layout, dpi, zpl, state, attempts,
           next_attempt_at, last_error, created_at, updated_at, sent_at)
         values (?, ?, ?, '100x150mm', 203, '^XA^XZ', ?, ?, 0, ?, ?, ?, ?)`,
      );
      insert.run('SB00001', 'completed', null, 'failed', 3, 'printer_paper_out', 1000, 2000, null);
      insert.run('SB00001', 'reprint', 'sup', 'sent', 1, null, 3000, 3000, 3100);
      insert.run('SB00002', 'completed', null, 'sent', 1, null, 4000, 4000, 4100);
      story = await t.call<BagStory>('bags.lookup', { code: 'SB00001' });
      expect(story.weight).toMatchObject({ state: 'recorded', kg: 2.4, by: 'sup', check: 'ok' });
      expect(story.labels).toEqual([
        {
          id: 2,
          parentCode: 'SB00001',
          reason: 'reprint',
          requestedBy: 'sup',
          state: 'sent',
          attempts: 1,
          error: null,
          createdAt: 3000,
          sentAt: 3100,
        },
        {
          id: 1,
          parentCode: 'SB00001',
          reason: 'completed',
          requestedBy: null,
          state: 'failed',
          attempts: 3,
          error: 'printer_paper_out',
          createdAt: 1000,
          sentAt: null,
        },
      ]);
      const childStory = await t.call<BagStory>('bags.lookup', { code: child(1) });
      expect(childStory.weight).toBeUndefined();
      expect(childStory.labels).toBeUndefined();
    });
  });

  describe('the dashboard', () => {
    it("counts today's weighings, the off ones waiting, and completed parents without a weight", async () => {
      await settings({ parentCapacity: 2 });
      await fill('SB00001', 2); // full: weighed ok
      await fill('SB00002', 2, 10); // full: weighed off
      await fill('SB00003', 2, 20); // full: weigh later
      await fill('SB00004', 2, 30); // full: never weighed
      await fill('SB00005', 1, 40); // completed with the button, never weighed
      await t.call('scan.closeParent');
      await fill('SB00006', 1, 50); // neither full nor completed
      w.record(op(), 'SB00001', reading(2.5));
      w.record(op(), 'SB00002', reading(0.5));
      w.later(op(), 'SB00003');
      let d = await t.call<Dashboard>('stats.dashboard');
      expect(d.weights).toEqual({ weighed: 2, later: 1, off: 1, unacknowledged: 1, estimatedParents: 3 });

      w.acknowledge(op(), 'SB00002');
      w.record(op(), 'SB00004', reading(2.6));
      d = await t.call<Dashboard>('stats.dashboard');
      expect(d.weights).toEqual({ weighed: 3, later: 1, off: 1, unacknowledged: 0, estimatedParents: 2 });

      // An off weight not acknowledged still waits the next day; the day's counts start again.
      w.record(op(), 'SB00001', reading(9));
      t.clock.advance(24 * 3600_000);
      await t.login('sup');
      d = await t.call<Dashboard>('stats.dashboard');
      expect(d.weights).toEqual({ weighed: 0, later: 0, off: 0, unacknowledged: 1, estimatedParents: 0 });
    });
  });
});

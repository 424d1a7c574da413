import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditSentence, type AuditRow } from '../../src-shared/audit-text.ts';
import type { Operator, ScanResult } from '../../src-shared/domain.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { StationProfile } from '../../src-shared/profile.ts';
import { weightGapSentence } from '../../src-shared/weight-text.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { createWeightService, type WeightService } from './weight-service.ts';

/** The defaults: 1 kg a child, a 0.5 kg bag, 1.5 kg or 5 % tolerance. */
describe('weights of parent bags', () => {
  let t: TestStation;
  let w: WeightService;
  const op = (): Operator => t.station.session.operator()!;
  const reading = (kg: number) => ({ kg, raw: `S S ${kg} kg`, scale: '/dev/ttyUSB1', at: t.clock.now() });
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof StationError) return e.code;
      throw e;
    }
    throw new Error('expected a refusal');
  };
  const outbox = (op: string) =>
    (
      t.station.ctx.sqlite.prepare(`select payload from outbox where op = ? order by seq`).all(op) as {
        payload: string;
      }[]
    ).map((r) => JSON.parse(r.payload) as Record<string, unknown>);
  const audits = async () => (await t.call<{ rows: AuditRow[] }>('audit.list', { limit: 200 })).rows;

  async function fill(code: string, n: number, from = 0): Promise<void> {
    await t.scan(code);
    for (let i = 1; i <= n; i++) await t.scan(child(from + i));
  }
  async function settings(profile: Partial<StationProfile>, back = 'dock1'): Promise<void> {
    await t.login('admin');
    await t.call('settings.update', { profile });
    await t.login(back);
  }

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.addUser('sup', 'supervisor');
    await t.login('dock1');
    w = createWeightService(t.station.ctx);
  });
  afterEach(() => t.dispose());

  describe('record', () => {
    it('records a weight within tolerance with its audit and outbox rows, and clears the pending parent', async () => {
      await fill('SB00001', 5);
      await t.call('scan.closeParent');
      w.start(op(), 'sb00001');
      expect(w.pending()).toBe('SB00001');
      const before = t.journal();
      const weight = w.record(op(), 'SB00001', reading(5.9));
      expect(weight).toEqual({
        parentCode: 'SB00001',
        state: 'recorded',
        kg: 5.9,
        tareKg: 0.5,
        childCount: 5,
        expectedKg: 5.5,
        check: 'ok',
        gapKg: 0.4,
        gapBags: 0,
        acknowledgedBy: null,
        acknowledgedAt: null,
        scale: '/dev/ttyUSB1',
        by: 'dock1',
        at: t.clock.now(),
      });
      expect(w.pending()).toBeNull();
      expect(t.journal()).toEqual({ ...before, audit: before.audit + 1, outbox: before.outbox + 1 });
      const [sent] = outbox('weight');
      expect(sent).toEqual({
        weight: {
          id: expect.any(String) as string,
          parentId: t.station.ctx.bags.byCode('SB00001')!.id,
          parentCode: 'SB00001',
          state: 'recorded',
          kg: 5.9,
          tareKg: 0.5,
          childCount: 5,
          expectedKg: 5.5,
          check: 'ok',
          scale: '/dev/ttyUSB1',
          raw: 'S S 5.9 kg',
          userId: op().id,
          username: 'dock1',
          stationId: t.station.ctx.station.stationId,
          at: t.clock.now(),
        },
      });
      await t.login('sup');
      const [row] = (await audits()).filter((r) => r.action === 'weight.record');
      expect(row!.after).toMatchObject({
        parent: 'SB00001',
        kg: 5.9,
        expectedKg: 5.5,
        gapKg: 0.4,
        check: 'ok',
      });
      expect(auditSentence(row!, 'en')).toBe(
        'dock1 weighed parent SB00001: 5.9 kg for 5 bags, expected 5.5 kg.',
      );
    });

    it('leaves another pending parent pending', async () => {
      await fill('SB00001', 2);
      await fill('SB00002', 2, 10);
      w.start(op(), 'SB00002');
      w.record(op(), 'SB00001', reading(2.5));
      expect(w.pending()).toBe('SB00002');
    });

    it('needs a dock worker and a parent bag, and a reading that is a weight', async () => {
      await fill('SB00001', 1);
      expect(codeOf(() => w.start(null, 'SB00001'))).toBe('not_logged_in');
      expect(codeOf(() => w.record(null, 'SB00001', reading(1.5)))).toBe('not_logged_in');
      expect(codeOf(() => w.later(null, 'SB00001'))).toBe('not_logged_in');
      expect(codeOf(() => w.start(op(), 'SB09999'))).toBe('bag_not_found');
      expect(codeOf(() => w.record(op(), child(1), reading(1)))).toBe('kind_mismatch');
      expect(codeOf(() => w.record(op(), 'SB00001', reading(Number.NaN)))).toBe('invalid_input');
      expect(codeOf(() => w.record(op(), 'SB00001', reading(-1)))).toBe('invalid_input');
      expect(codeOf(() => w.record(op(), 'SB00001', reading(100_001)))).toBe('invalid_input');
      expect(t.rows('parent_weights')).toBe(0);
    });

    it('a failing write leaves nothing: no weight, audit or outbox row, and the parent still pending', async () => {
      await fill('SB00001', 3);
      w.start(op(), 'SB00001');
      t.station.ctx.sqlite.exec(
        `create temp trigger refuse_weight before insert on outbox when new.op = 'weight'
         begin select raise(abort, 'disk says no'); end`,
      );
      const before = t.journal();
      expect(() => w.record(op(), 'SB00001', reading(3.5))).toThrow(/disk says no/);
      expect(() => w.later(op(), 'SB00001')).toThrow(/disk says no/);
      expect(t.rows('parent_weights')).toBe(0);
      expect(t.journal()).toEqual(before);
      expect(w.pending()).toBe('SB00001');
      expect(w.weightOf('SB00001').state).toBe('estimated');
    });

    it('has no check without a nominal child weight', async () => {
      await settings({ childWeightKg: 0 });
      await fill('SB00001', 3);
      expect(w.record(op(), 'SB00001', reading(9))).toMatchObject({
        state: 'recorded',
        kg: 9,
        check: 'none',
        expectedKg: null,
        gapKg: null,
        gapBags: null,
      });
      await t.login('sup');
      const [row] = (await audits()).filter((r) => r.action === 'weight.record');
      expect(auditSentence(row!, 'en')).toBe('dock1 weighed parent SB00001: 9 kg for 3 bags.');
    });
  });

  describe('an off weight', () => {
    it('names the gap, waits for a supervisor, and is acknowledged once, audited and sent', async () => {
      await fill('SB00001', 5);
      const weight = w.record(op(), 'SB00001', reading(3.4));
      expect(weight).toMatchObject({ check: 'off', gapKg: -2.1, gapBags: -2, acknowledgedBy: null });
      expect(weightGapSentence(weight)).toBe('about 2 bags missing: 3.4 kg for 5 bags');
      expect(w.unacknowledged().map((u) => u.parentCode)).toEqual(['SB00001']);

      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('role_required');
      expect(codeOf(() => w.acknowledge(null, 'SB00001'))).toBe('not_logged_in');
      await t.login('sup');
      t.clock.advance(60_000);
      const acked = w.acknowledge(op(), 'SB00001');
      expect(acked).toMatchObject({ acknowledgedBy: 'sup', acknowledgedAt: t.clock.now(), check: 'off' });
      expect(w.weightOf('SB00001').acknowledgedBy).toBe('sup');
      expect(w.unacknowledged()).toEqual([]);
      expect(outbox('weight.ack')).toEqual([
        {
          weightId: (outbox('weight')[0]!.weight as { id: string }).id,
          parentId: t.station.ctx.bags.byCode('SB00001')!.id,
          parentCode: 'SB00001',
          by: 'sup',
          userId: op().id,
          at: t.clock.now(),
        },
      ]);
      const before = t.journal();
      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('weight_not_off');
      expect(t.journal()).toEqual(before);

      const sentences = (await audits())
        .filter((r) => r.action.startsWith('weight.'))
        .map((r) => auditSentence(r, 'en'));
      expect(sentences).toEqual([
        'sup checked and accepted the weight of parent SB00001: about 2 bags missing: 3.4 kg for 5 bags.',
        'dock1 weighed parent SB00001: about 2 bags missing: 3.4 kg for 5 bags, expected 5.5 kg. A supervisor must check it.',
      ]);
    });

    it('cannot be acknowledged when the newest weight is not off (weight_not_off)', async () => {
      await fill('SB00001', 5);
      await t.login('sup');
      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('weight_not_off'); // never weighed
      w.record(op(), 'SB00001', reading(5.5));
      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('weight_not_off'); // ok
      t.clock.advance(1000);
      w.record(op(), 'SB00001', reading(1));
      t.clock.advance(1000);
      w.record(op(), 'SB00001', reading(5.6)); // weighed again: now ok
      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('weight_not_off');
      expect(w.unacknowledged()).toEqual([]);
      t.clock.advance(1000);
      w.later(op(), 'SB00001');
      expect(codeOf(() => w.acknowledge(op(), 'SB00001'))).toBe('weight_not_off');
      expect(t.rows('audit_log', `action = 'weight.acknowledge'`)).toBe(0);
    });
  });

  describe('weigh later', () => {
    it('records no weight, clears the pending parent, and is audited and sent', async () => {
      await fill('SB00001', 4);
      w.start(op(), 'SB00001');
      const later = w.later(op(), 'SB00001');
      expect(later).toMatchObject({ state: 'later', kg: null, childCount: 4, check: 'none', by: 'dock1' });
      expect(w.pending()).toBeNull();
      expect(outbox('weight')[0]).toMatchObject({
        weight: { state: 'later', kg: null, parentCode: 'SB00001', childCount: 4 },
      });
      await t.login('sup');
      const [row] = (await audits()).filter((r) => r.action === 'weight.later');
      expect(auditSentence(row!, 'en')).toBe(
        'dock1 put off weighing parent SB00001 (4 bags): its weight is estimated.',
      );
      expect(auditSentence(row!, 'hi')).toContain('SB00001');
    });
  });

  describe('a weight goes stale when its parent changes', () => {
    const state = (code: string) => w.weightOf(code).state;

    it('a child linked after the weighing', async () => {
      await fill('SB00001', 3);
      w.record(op(), 'SB00001', reading(3.5));
      expect(state('SB00001')).toBe('recorded');
      await t.scan(child(4));
      expect(w.weightOf('SB00001')).toMatchObject({ state: 'stale', kg: 3.5, childCount: 3 });
      // Weighed again, it is current.
      w.record(op(), 'SB00001', reading(4.5));
      expect(w.weightOf('SB00001')).toMatchObject({ state: 'recorded', kg: 4.5, childCount: 4 });
    });

    it('reopened: scanned again with its children and made active', async () => {
      await fill('SB00001', 3);
      await t.call('scan.closeParent');
      w.record(op(), 'SB00001', reading(3.5));
      t.clock.advance(5000);
      const again = await t.scan('SB00001');
      expect(again.outcome).toBe('parent_reopened');
      expect(state('SB00001')).toBe('stale');
    });

    it('a full parent scanned again too, as the centre reads it; a refused parent scan changes nothing', async () => {
      await settings({ parentCapacity: 3 });
      await fill('SB00001', 3);
      await fill('SB00002', 3, 10);
      w.record(op(), 'SB00001', reading(3.5));
      w.record(op(), 'SB00002', reading(3.5));
      t.clock.advance(5000);
      expect((await t.scan('SB00001')).outcome).toBe('parent_full');
      expect(state('SB00001')).toBe('stale');
      await settings({ weightRequired: true });
      w.start(op(), 'SB00001');
      expect((await t.scan('SB00002')).reason).toBe('weight_required');
      expect(state('SB00002')).toBe('recorded');
    });

    it('the own last link undone', async () => {
      await fill('SB00001', 3);
      w.record(op(), 'SB00001', reading(3.5));
      await t.call('scan.undoLast');
      expect(state('SB00001')).toBe('stale');
    });

    it("a child removed, or moved (both parents), by a supervisor; other parents' weights stay", async () => {
      await fill('SB00001', 3);
      await fill('SB00002', 3, 10);
      await fill('SB00003', 3, 20);
      for (const p of ['SB00001', 'SB00002', 'SB00003']) w.record(op(), p, reading(3.5));
      await t.login('sup');
      await t.call('links.remove', { child: child(1), reason: 'torn' });
      expect([state('SB00001'), state('SB00002'), state('SB00003')]).toEqual([
        'stale',
        'recorded',
        'recorded',
      ]);
      w.record(op(), 'SB00001', reading(2.5));
      await t.call('links.move', { child: child(11), toParent: 'SB00001', reason: 'wrong bag' });
      expect([state('SB00001'), state('SB00002'), state('SB00003')]).toEqual(['stale', 'stale', 'recorded']);
      expect(t.rows('parent_weights', 'stale_at is not null')).toBe(3);
    });

    it('"weigh later" stays later when the parent changes', async () => {
      await fill('SB00001', 3);
      w.later(op(), 'SB00001');
      await t.scan(child(4));
      expect(state('SB00001')).toBe('later');
    });
  });

  describe('weight required before the next parent', () => {
    const refused = (r: ScanResult) => ({ outcome: r.outcome, reason: r.reason, params: r.reasonParams });

    it('refuses a different parent while a completed one waits, and lets the same one through', async () => {
      await settings({ weightRequired: true });
      await fill('SB00001', 3);
      await t.call('scan.closeParent');
      w.start(op(), 'SB00001');
      const before = t.journal();
      expect(refused(await t.scan('SB00002'))).toEqual({
        outcome: 'rejected',
        reason: 'weight_required',
        params: { parent: 'SB00001' },
      });
      // Recorded like every refusal: a rejected scan, counted and sent.
      expect(t.journal()).toEqual({ ...before, scans: before.scans + 1, outbox: before.outbox + 1 });
      expect(t.rows('scans', `action = 'rejected' and reason = 'weight_required' and code = 'SB00002'`)).toBe(
        1,
      );
      expect(t.rows('bags', `code = 'SB00002'`)).toBe(0);
      expect(t.station.activeParent()).toBeNull();

      t.clock.advance(2000);
      expect((await t.scan('SB00001')).outcome).toBe('parent_reopened');
      await t.scan(child(4));
      await t.call('scan.closeParent');
      expect(w.pending()).toBe('SB00001');
      w.record(op(), 'SB00001', reading(4.5));
      expect((await t.scan('SB00002')).outcome).toBe('parent_active');
    });

    it('"weigh later" lets the next parent start', async () => {
      await settings({ weightRequired: true });
      await fill('SB00001', 3);
      w.start(op(), 'SB00001');
      expect((await t.scan('SB00002')).reason).toBe('weight_required');
      w.later(op(), 'SB00001');
      t.clock.advance(2000); // past the double-read window: the refused read counted in it
      expect((await t.scan('SB00002')).outcome).toBe('parent_active');
    });

    it('without the setting, a pending parent holds nothing back', async () => {
      await fill('SB00001', 3);
      w.start(op(), 'SB00001');
      expect((await t.scan('SB00002')).outcome).toBe('parent_active');
      expect(w.pending()).toBe('SB00001');
    });
  });

  describe('label facts', () => {
    it('carry the recorded weight, or the estimate, the station, the operator and the bill', async () => {
      await fill('SB00001', 3);
      const linkedAt = t.clock.now();
      t.clock.advance(10_000);
      expect(w.labelFacts('SB00001')).toEqual({
        parentCode: 'SB00001',
        childCount: 3,
        weightKg: 3,
        weightEstimated: true,
        station: t.station.ctx.station.name,
        operator: 'dock1',
        at: linkedAt,
        billNumber: null,
      });
      w.record(op(), 'SB00001', reading(3.6));
      await t.login('sup');
      await t.call('bills.create', { billNo: 'B-9', destination: 'Pune', vehicleNo: 'MH12', capacity: 2 });
      await t.call('bills.addParent', { billNo: 'B-9', parent: 'SB00001' });
      expect(w.labelFacts('SB00001')).toMatchObject({
        weightKg: 3.6,
        weightEstimated: false,
        operator: 'dock1',
        at: linkedAt + 10_000,
        billNumber: 'B-9',
      });
    });
  });

  describe('isCurrent and an off weight after the parent changed (i16-fix-weigh)', () => {
    it('is current once weighed or put off, until the parent changes; a reopened off weight still waits', async () => {
      await fill('SB00001', 5);
      expect(w.isCurrent('SB00001')).toBe(false); // never weighed
      w.record(op(), 'SB00001', { ...reading(2.5), tareKg: 30, net: true }); // off: 5.5 kg expected
      expect(w.isCurrent('sb00001')).toBe(true);
      const row = t.station.ctx.sqlite
        .prepare(`select scale_tare_kg as tare, scale_net as net from parent_weights`)
        .get() as { tare: number; net: number };
      expect(row).toEqual({ tare: 30, net: 1 });
      await t.scan('SB00001'); // scanned again (reopened): stale, not current
      expect(w.isCurrent('SB00001')).toBe(false);
      t.clock.advance(1000);
      w.later(op(), 'SB00001'); // "weigh later" does not take the off weight from the supervisor
      expect(w.isCurrent('SB00001')).toBe(true);
      expect(w.unacknowledged().map((u) => [u.parentCode, u.state, u.kg])).toEqual([
        ['SB00001', 'stale', 2.5],
      ]);
      await t.login('sup');
      expect(w.acknowledge(op(), 'SB00001')).toMatchObject({ kg: 2.5, acknowledgedBy: 'sup' });
      expect(w.unacknowledged()).toEqual([]);
      expect(w.isCurrent('SB09999')).toBe(false);
    });
  });
});

/**
 * Weights reach the centre (issue 16): a station's weighing and a supervisor's acknowledgement go up through the
 * real sync engine as the operations 'weight' and 'weight.ack', are kept once however often they are sent, and
 * the centre's bill_weights reads a bill as recorded only while every parent has a weighing that still holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import { createCentralClient } from './central-client.ts';
import { loadSyncConfig } from './config.ts';
import { encodeBatch, withHash } from './push.ts';
import { opProblem } from './protocol.ts';
import { twoStations, type SyncedStation, type TwoStations } from './testing/stations.ts';
import { queueAck, queueWeight, weightPayload } from './testing/weights.ts';

interface BillWeight {
  parents: number;
  weighed_parents: number;
  recorded_kg: number;
  estimated_children: number;
  estimated: boolean;
}

describe('weights at the centre, through the sync engine', () => {
  let stations: TwoStations;
  let db: CentralDb;
  let a: SyncedStation;

  beforeEach(async () => {
    stations = await twoStations();
    ({ db, a } = stations);
  });
  afterEach(() => stations.dispose());

  const billWeight = async (billNo: string) =>
    (
      await db.query<BillWeight>(
        `select parents, weighed_parents, recorded_kg, estimated_children, estimated from bill_weights
         where bill_no = $1`,
        [billNo],
      )
    )[0];
  const parentWeight = async (code: string) =>
    (
      await db.query<{ state: string; kg: number | null; ack_by: string | null }>(
        `select state, kg, ack_by from parent_weight_now where parent_code = $1`,
        [code],
      )
    )[0];
  const unsentRows = (s: SyncedStation) =>
    withHash(
      s.station.ctx.sqlite
        .prepare('select seq, id, op, payload from outbox where sent_at is null order by seq')
        .all() as { seq: number; id: string; op: string; payload: string }[],
    );

  /** SB00001 with three children and SB00002 with two, both on bill B-1, synced: the centre's bill is estimated. */
  async function billOfTwoParents(): Promise<void> {
    await a.scan('SB00001');
    for (let i = 1; i <= 3; i++) await a.scan(child(i));
    await a.scan('SB00002');
    for (let i = 4; i <= 5; i++) await a.scan(child(i));
    await a.call('bills.create', { billNo: 'B-1', destination: 'Pune', vehicleNo: 'MH12', capacity: 5 });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
    await a.engine.cycle();
    expect(await billWeight('B-1')).toEqual({
      parents: 2,
      weighed_parents: 0,
      recorded_kg: 0,
      estimated_children: 5,
      estimated: true,
    });
  }

  it('a weighing and its acknowledgement go up once, even when the batch is sent twice, and the bill reads recorded', async () => {
    await billOfTwoParents();
    a.clock.advance(60_000);
    const off = queueWeight(a, 'SB00001', { kg: 2.4, childCount: 3, check: 'off' });
    queueAck(a, off, 'SB00001', 'ana');
    queueWeight(a, 'SB00002', { kg: 2.6, childCount: 2 });
    const rows = unsentRows(a);
    expect(rows.map((r) => r.op)).toEqual(['weight', 'weight.ack', 'weight']);
    for (const r of rows) expect(opProblem(r.op, r.payload), r.op).toBeNull();

    // Committed at the centre, and the reply lost; then the same batch again, and the engine's own resend.
    const client = createCentralClient(loadSyncConfig(a.dir)!);
    const first = await client.push(encodeBatch(1, rows));
    const second = await client.push(encodeBatch(1, rows));
    await client.close();
    expect(first).toMatchObject({ results: [], lastAppliedSeq: rows.at(-1)!.seq });
    expect(second).toMatchObject({ lastAppliedSeq: rows.at(-1)!.seq });
    await a.engine.cycle();
    expect(a.rows('outbox', 'sent_at is null')).toBe(0);
    expect(a.rows('outbox', `result like '%rejected%'`)).toBe(0);

    expect(await db.query('select count(*)::int as n from parent_weights')).toEqual([{ n: 2 }]);
    expect(
      await db.query(
        `select parent_code, state, kg, tare_kg, child_count, check_result, username, ack_by, ack_at is not null as acked,
           station_id = $1 as here from parent_weights order by parent_code`,
        [a.centralStationId],
      ),
    ).toEqual([
      {
        parent_code: 'SB00001',
        state: 'recorded',
        kg: 2.4,
        tare_kg: 0.5,
        child_count: 3,
        check_result: 'off',
        username: 'ana',
        ack_by: 'ana',
        acked: true,
        here: true,
      },
      {
        parent_code: 'SB00002',
        state: 'recorded',
        kg: 2.6,
        tare_kg: 0.5,
        child_count: 2,
        check_result: 'ok',
        username: 'ana',
        ack_by: null,
        acked: false,
        here: true,
      },
    ]);
    expect(await db.query(`select count(*)::int as n from audit where op like 'weight%'`)).toEqual([
      { n: 3 },
    ]);
    expect(await billWeight('B-1')).toEqual({
      parents: 2,
      weighed_parents: 2,
      recorded_kg: 5,
      estimated_children: 0,
      estimated: false,
    });
  });

  it('a weight goes stale when a child is removed or linked or the parent is scanned again after it; "weigh later" stays estimated', async () => {
    await billOfTwoParents();
    await a.call('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' });
    a.clock.advance(60_000);
    queueWeight(a, 'SB00001', { kg: 3.5, childCount: 3 });
    queueWeight(a, 'SB00002', { state: 'later', childCount: 2 });
    await a.engine.cycle();
    expect(await parentWeight('SB00001')).toEqual({ state: 'recorded', kg: 3.5, ack_by: null });
    expect(await parentWeight('SB00002')).toEqual({ state: 'later', kg: null, ack_by: null });
    expect(await billWeight('B-1')).toMatchObject({ parents: 1, weighed_parents: 0, estimated: true });

    a.clock.advance(60_000);
    await a.call('links.remove', { child: child(3), reason: 'torn bag' });
    await a.engine.cycle();
    expect(await parentWeight('SB00001')).toMatchObject({ state: 'stale' });

    // Weighed again after the change: recorded again, the newest weighing counts.
    a.clock.advance(60_000);
    queueWeight(a, 'SB00001', { kg: 2.5, childCount: 2 });
    a.clock.advance(1_000);
    queueWeight(a, 'SB00002', { kg: 2.5, childCount: 2 });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await a.engine.cycle();
    expect(await parentWeight('SB00001')).toEqual({ state: 'recorded', kg: 2.5, ack_by: null });
    expect(await billWeight('B-1')).toEqual({
      parents: 2,
      weighed_parents: 2,
      recorded_kg: 5,
      estimated_children: 0,
      estimated: false,
    });

    // A child linked into SB00002 (still the active parent) after its weighing: stale, the bill estimated again.
    a.clock.advance(60_000);
    await a.scan(child(6));
    await a.engine.cycle();
    expect(await parentWeight('SB00002')).toMatchObject({ state: 'stale' });
    expect(await billWeight('B-1')).toMatchObject({
      weighed_parents: 1,
      recorded_kg: 2.5,
      estimated_children: 3,
      estimated: true,
    });

    // SB00001 scanned again (made active) after its weighing: stale too, though no link changed.
    a.clock.advance(60_000);
    await a.scan('SB00001');
    await a.engine.cycle();
    expect(await parentWeight('SB00001')).toMatchObject({ state: 'stale' });
    expect(await billWeight('B-1')).toMatchObject({ weighed_parents: 0, recorded_kg: 0, estimated: true });
  });

  it('the station does not send a weighing it cannot describe: it goes up as rejected, alone', async () => {
    await a.scan('SB00001');
    await a.scan(child(1));
    const bad = weightPayload('SB00001', { kg: -2, at: a.clock.now() });
    a.station.ctx.transaction(() => a.station.ctx.journal.outbox('weight', bad, a.clock.now()));
    expect(opProblem('weight', JSON.stringify(bad))).toMatch(/^weight\.kg: /);
    queueWeight(a, 'SB00001', { kg: 1.5, childCount: 1 });
    await a.engine.cycle();
    expect(a.rows('outbox', 'sent_at is null')).toBe(0);
    expect(a.rows('outbox', `op = 'weight' and result like '%"rejected"%'`)).toBe(1);
    expect(await db.query(`select kind from conflicts where op = 'weight'`)).toEqual([
      { kind: 'invalid_op' },
    ]);
    expect(await db.query('select kg from parent_weights')).toEqual([{ kg: 1.5 }]);
  });
});

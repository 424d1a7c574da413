/**
 * Test support for the weight columns of the exports (issue 16): a completed bill of four parents, scanned
 * through the real API, whose weighings are written with plain SQL into parent_weights (the table of migration
 * 0006), one parent of each kind: recorded, stale, weigh later, never weighed. Not used by the app.
 */
import { uuidv7 } from 'uuidv7';
import { child, createTestStation, PASSWORD, type TestStation } from '../../testing/test-station.ts';

export const WEIGHED_BILL = 'DN-2026/0077';
/** recorded (ok), stale (off, acknowledged, then a child added), weigh later, never weighed. */
export const WEIGHED_PARENTS = ['SB00011', 'SB00012', 'SB00013', 'SB00014'] as const;
export const WEIGHED_FILL = [30, 7, 12, 5] as const;
/** What the scale showed for the first parent: its weight on the bill. */
export const RECORDED_KG = 30.4;
/** The bill's weight: 30.4 recorded + (7 + 12 + 5) x 1 kg estimated. */
export const WEIGHED_TOTAL_KG = 54.4;

interface WeightRow {
  parent: string;
  state: 'recorded' | 'later';
  kg: number | null;
  check: 'none' | 'ok' | 'off';
  at: number;
  ackAt?: number;
  staleAt?: number;
}

/** One parent_weights row, the way the core's weight service writes it. */
export function insertWeight(t: TestStation, w: WeightRow): void {
  const db = t.station.ctx.sqlite;
  const parent = db.prepare(`select id, child_count as n from bags where code = ?`).get(w.parent) as {
    id: string;
    n: number;
  };
  db.prepare(
    `insert into parent_weights (id, parent_id, state, kg, tare_kg, child_count, expected_kg, check_result,
       ack_by, ack_at, scale, raw, user_id, station_id, at, stale_at)
     values (?, ?, ?, ?, 0.5, ?, ?, ?, ?, ?, 'sim', ?, null, ?, ?, ?)`,
  ).run(
    uuidv7(),
    parent.id,
    w.state,
    w.kg,
    parent.n,
    0.5 + parent.n,
    w.check,
    w.ackAt === undefined ? null : 'sup',
    w.ackAt ?? null,
    w.kg === null ? null : `S S ${w.kg} kg`,
    t.station.ctx.station.stationId,
    w.at,
    w.staleAt ?? null,
  );
}

export async function stationWithWeighedBill(): Promise<TestStation> {
  const t = createTestStation();
  await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
  await t.addUser('dock1', 'dock');
  await t.addUser('sup', 'supervisor');
  await t.login('dock1');
  let n = 0;
  for (const [i, parent] of WEIGHED_PARENTS.entries()) {
    await t.scan(parent);
    for (let c = 0; c < WEIGHED_FILL[i]!; c++) {
      t.clock.advance(1000);
      await t.scan(child(n++));
    }
    t.clock.advance(30_000);
  }
  const now = t.clock.now();
  const [recorded, stale, later] = WEIGHED_PARENTS;
  // The newest row of a parent counts: the first parent was put off, then weighed.
  insertWeight(t, { parent: recorded, state: 'later', kg: null, check: 'none', at: now - 9000 });
  insertWeight(t, { parent: recorded, state: 'recorded', kg: RECORDED_KG, check: 'ok', at: now - 8000 });
  // Weighed light (2.3 kg under), acknowledged by a supervisor, then changed: stale.
  insertWeight(t, {
    parent: stale,
    state: 'recorded',
    kg: 5.2,
    check: 'off',
    at: now - 7000,
    ackAt: now - 6000,
    staleAt: now - 5000,
  });
  // Weighed once, then "weigh later" on a second try: the later row is newer.
  insertWeight(t, { parent: later, state: 'recorded', kg: 11.9, check: 'ok', at: now - 4000 });
  insertWeight(t, { parent: later, state: 'later', kg: null, check: 'none', at: now - 3000 });

  await t.login('sup');
  await t.call('bills.create', {
    billNo: WEIGHED_BILL,
    destination: 'Jaipur',
    vehicleNo: 'RJ14CD5678',
    capacity: 5,
    description: '',
  });
  for (const parent of WEIGHED_PARENTS) {
    t.clock.advance(10_000);
    await t.call('bills.addParent', { billNo: WEIGHED_BILL, parent });
  }
  t.clock.advance(60_000);
  await t.call('bills.complete', { billNo: WEIGHED_BILL });
  return t;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import { SyncError } from './central-client.ts';
import { opKinds, opProblem, parseChanges, parseOwnScan, parseSnapshotPage } from './protocol.ts';
import {
  centralState,
  expectAgreement,
  localState,
  syncAll,
  twoStations,
  type SyncedStation,
  type TwoStations,
} from './testing/stations.ts';
import { queueAck, queueWeight, weightPayload } from './testing/weights.ts';

function malformed(fn: () => unknown): SyncError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SyncError && e.kind === 'malformed') return e;
    throw e;
  }
  throw new Error('expected a malformed-row error');
}

describe('the typed sync protocol', () => {
  it('rows from the centre are read by name and checked: an unknown entity or a malformed row is a typed error', () => {
    const bag = {
      id: '0190b5c2-0000-7000-8000-000000000001',
      code: 'SB1',
      kind: 'parent',
      first_seen_at: '5',
    };
    expect(parseChanges([{ id: 1, xid: '7', entity: 'bags', row: bag }])).toEqual([
      { id: 1, xid: '7', entity: 'bags', row: bag },
    ]);
    expect(malformed(() => parseChanges([{ id: 1, xid: '7', entity: 'trucks', row: {} }])).message).toMatch(
      /cannot read at 0\.entity/,
    );
    expect(
      malformed(() => parseChanges([{ id: 1, xid: '7', entity: 'bags', row: { ...bag, kind: 'box' } }]))
        .message,
    ).toMatch(/a row of bags \(entry 0\) this station cannot read at kind/);
    expect(
      malformed(() => parseChanges([{ entity: 'links', row: { id: 'x', child_code: 'C1' } }])).message,
    ).toMatch(/parent_code/);
    expect(
      malformed(() => parseSnapshotPage('bills', [{ id: 'b', bill_no: 'B-1', capacity: 'ten' }])).message,
    ).toMatch(/capacity/);
    expect(parseSnapshotPage('users', [{ username: 'ana', active: true, created_at: '12' }])).toHaveLength(1);
    expect(malformed(() => parseOwnScan({ id: 'not-a-uuid' })).message).toMatch(/a scan/);
    expect(malformed(() => parseChanges('not a list')).kind).toBe('malformed');
  });

  it('an operation that does not match its kind is named before it is sent', () => {
    expect(opProblem('truck.load', '{}')).toBe('there is no operation "truck.load"');
    expect(opProblem('bill.complete', '{"at":1}')).toMatch(/^billNo: /);
    expect(opProblem('scan', '{"scan":{"id":"x"},"effects":[]}')).toMatch(/^scan\.id: /);
    expect(opProblem('scan', 'not json')).toBe('its payload is not JSON');
    const weighing = (w: Record<string, unknown>) =>
      JSON.stringify({ weight: { ...weightPayload('SB1', { at: 5 }).weight, ...w } });
    expect(opProblem('weight', weighing({}))).toBeNull();
    expect(opProblem('weight', weighing({ state: 'later', kg: null }))).toBeNull();
    expect(opProblem('weight', weighing({ kg: -1 }))).toMatch(/^weight\.kg: /);
    expect(opProblem('weight', weighing({ kg: null }))).toBe(
      'weight.kg: a recorded weight has kg, "weigh later" has none',
    );
    expect(opProblem('weight', weighing({ state: 'later' }))).toMatch(/^weight\.kg: /);
    expect(opProblem('weight', weighing({ check: 'maybe' }))).toMatch(/^weight\.check: /);
    expect(opProblem('weight.ack', '{"weightId":"x","parentCode":"SB1","by":"ana","at":1}')).toMatch(
      /^weightId: /,
    );
  });
});

describe('every operation kind against a real centre', () => {
  let stations: TwoStations;
  let db: CentralDb;
  let a: SyncedStation;
  let b: SyncedStation;

  beforeEach(async () => {
    stations = await twoStations();
    ({ db, a, b } = stations);
  });
  afterEach(() => stations.dispose());

  it('each kind a station makes matches its schema, has a branch in the central SQL, and is applied there', async () => {
    const [def] = await db.query<{ src: string }>(
      `select pg_get_functiondef('public.apply_op'::regproc) || pg_get_functiondef('public.push_as'::regproc)
         || pg_get_functiondef('public.authorize_op'::regproc) as src`,
    );
    const branches = new Set(
      [...def!.src.matchAll(/WHEN\s+((?:'[^']+'(?:,\s*)?)+)\s+THEN/g)].flatMap((m) =>
        [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!),
      ),
    );
    for (const kind of opKinds.filter((k) => k !== 'scan')) expect(branches, kind).toContain(kind);
    expect([...branches].filter((k) => !(opKinds as string[]).includes(k))).toEqual([]);
    expect(def!.src).toContain(`ops[i].op = 'scan'`);
    expect(def!.src).toContain(`ops[i].op = 'user.upsert'`);

    // The same child on both stations: b's link loses, and its supervisor resolves the conflict.
    await b.scan('SB00009');
    await b.scan(child(1));
    await a.scan('SB00001');
    for (let i = 1; i <= 4; i++) await a.scan(child(i));
    await a.scan('SB00002');
    await a.call('links.move', { child: child(3), toParent: 'SB00002', reason: 'wrong parent' });
    await a.call('links.remove', { child: child(4), reason: 'torn bag' });
    await a.call('bills.create', {
      billNo: 'B-1',
      destination: 'Pune',
      vehicleNo: 'MH12 AB 1234',
      capacity: 2,
    });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00001' });
    await a.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
    await a.call('bills.removeParent', { billNo: 'B-1', parent: 'SB00002' });
    await a.call('bills.complete', { billNo: 'B-1' });
    await a.call('bills.reopen', { billNo: 'B-1' });
    await a.call('users.create', { username: 'sam', role: 'supervisor', password: 'a-long-password' });
    await a.call('settings.update', { name: 'Dock A1' });
    // Until the core's weight service writes them: a weighing that was off and the admin's acknowledgement.
    const weighed = queueWeight(a, 'SB00001', { kg: 1.2, childCount: 2, check: 'off' });
    queueAck(a, weighed, 'SB00001', 'ana');
    await a.engine.cycle();
    await b.engine.cycle();
    const [conflict] = await b.call<{ id: number }[]>('conflicts.list');
    await b.call('conflicts.resolve', { id: conflict!.id, resolution: 'keep_central' });
    await b.engine.cycle();

    const outbox = [a, b].flatMap(
      (s) =>
        s.station.ctx.sqlite.prepare('select op, payload, result from outbox').all() as {
          op: string;
          payload: string;
          result: string | null;
        }[],
    );
    expect(new Set(outbox.map((r) => r.op))).toEqual(new Set(opKinds));
    for (const r of outbox) expect(opProblem(r.op, r.payload), r.op).toBeNull();
    expect(outbox.filter((r) => r.result === null)).toEqual([]);
    expect(outbox.filter((r) => r.result?.includes('"rejected"'))).toEqual([]);
    expect(await db.query(`select kind from conflicts where kind in ('unknown_op', 'invalid_op')`)).toEqual(
      [],
    );
    await syncAll([a, b]);
    expect(localState(b.station.ctx.sqlite)).toEqual(await centralState(db));
    await expectAgreement(db, [a, b]);
  });

  it('a malformed row in the change log stops the pull with a typed error and applies nothing of its page', async () => {
    await syncAll([a, b]);
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.engine.cycle();
    await db.query(
      `insert into changes (entity, row) values ('bags', '{"id": "x", "code": "SB7", "kind": "box"}')`,
    );
    const cursor = () => b.station.ctx.sqlite.prepare('select cursor_xid, cursor_id from sync_state').get();
    const before = cursor();
    const e = await b.engine.cycle().then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SyncError);
    expect((e as SyncError).kind).toBe('malformed');
    expect(b.station.status().sync.lastError).toMatch(/a row of bags .* cannot read at kind/);
    expect(cursor()).toEqual(before);
    expect(localState(b.station.ctx.sqlite).bags).not.toContain('SB00001:parent');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setStation } from '../central/it-admin.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { child } from '../testing/test-station.ts';
import {
  addAdmin,
  centralState,
  counterMismatches,
  expectAgreement as expectAllAgree,
  joinedStation,
  twoStations,
  type TwoStations,
  localState,
  syncAll as syncStations,
  type SyncedStation,
} from './testing/stations.ts';

/**
 * The centre's own rules, for changes two stations made offline that each station allowed on its own: the
 * parent's capacity, a parent on a completed bill, a bill completed elsewhere, the dispatch area. First commit
 * wins; the loser's station is corrected by the push reply and shows the conflict with both sides.
 */
describe('central rules for changes made offline', () => {
  let db: CentralDb;
  let a: SyncedStation;
  let b: SyncedStation;

  let stations: TwoStations | undefined;

  beforeEach(async () => {
    stations = await twoStations();
    ({ db, a, b } = stations);
  });
  afterEach(() => stations?.dispose());

  const syncAll = () => syncStations([a, b]);
  const expectAgreement = () => expectAllAgree(db, [a, b]);

  const conflictsOf = (s: SyncedStation) =>
    s.call<{ kind: string; local: Record<string, unknown>; central: Record<string, unknown> }[]>(
      'conflicts.list',
    );

  async function billWithParent(billNo: string, parent: string, children: number[]) {
    await a.scan(parent);
    for (const i of children) await a.scan(child(i));
    await a.call('bills.create', { billNo, destination: 'Pune', vehicleNo: 'MH12 AB 1234', capacity: 5 });
    await a.call('bills.addParent', { billNo, parent });
    await syncAll();
  }

  it('holds a parent to the linking station’s capacity when two stations fill it at once', async () => {
    // IT sets the capacity at the centre; each station takes it at its next sync.
    for (const s of [a, b]) await setStation(db.adminUrl, s.centralStationId, { parentCapacity: 3 });
    for (const s of [a, b])
      expect(await s.refusal('settings.update', { profile: { parentCapacity: 4 } })).toBe('centre_owned');
    await a.scan('SB00001');
    await syncAll();
    await a.scan('SB00001');
    await a.scan(child(1));
    await a.scan(child(2));
    await b.scan('SB00001');
    await b.scan(child(3));
    await b.scan(child(4)); // each station sees 2 of 3 places taken
    await syncAll();

    const central = await centralState(db);
    expect(central.links).toEqual([`${child(1)}>SB00001`, `${child(2)}>SB00001`, `${child(3)}>SB00001`]);
    await expectAgreement();
    const [conflict] = await conflictsOf(b);
    expect(conflict).toMatchObject({
      kind: 'parent_full',
      local: { child: child(4), parent: 'SB00001' },
      central: { parent: 'SB00001', children: 3, capacity: 3 },
    });
    expect(await conflictsOf(a)).toEqual([]);
  });

  it('refuses a link into a parent whose bill was completed elsewhere first', async () => {
    await billWithParent('B-1', 'SB00001', [1]);
    await b.scan('SB00001');
    await b.scan(child(2)); // B still sees B-1 open
    await a.call('bills.complete', { billNo: 'B-1' });
    await syncAll();

    expect((await centralState(db)).links).toEqual([`${child(1)}>SB00001`]);
    await expectAgreement();
    const [conflict] = await conflictsOf(b);
    expect(conflict).toMatchObject({
      kind: 'parent_on_closed_bill',
      local: { child: child(2) },
      central: { parent: 'SB00001', billNo: 'B-1' },
    });
  });

  it('keeps a parent off a bill that was completed elsewhere first', async () => {
    await billWithParent('B-1', 'SB00001', [1]);
    await b.scan('SB00002');
    await b.scan(child(2));
    await b.call('bills.addParent', { billNo: 'B-1', parent: 'SB00002' });
    await a.call('bills.complete', { billNo: 'B-1' });
    await syncAll();

    expect((await centralState(db)).billBags).toEqual(['SB00001@B-1']);
    await expectAgreement();
    const bill = await b.call<{ status: string; parentCount: number }>('bills.get', { billNo: 'B-1' });
    expect(bill).toMatchObject({ status: 'completed', parentCount: 1 });
    const [conflict] = await conflictsOf(b);
    expect(conflict).toMatchObject({
      kind: 'bill_not_open',
      central: { billNo: 'B-1', status: 'completed' },
    });
  });

  it('puts a parent back on a bill that was completed elsewhere before its removal arrived', async () => {
    await billWithParent('B-1', 'SB00001', [1, 2]);
    await b.call('bills.removeParent', { billNo: 'B-1', parent: 'SB00001' });
    await a.call('bills.complete', { billNo: 'B-1' });
    await syncAll();

    expect((await centralState(db)).billBags).toEqual(['SB00001@B-1']);
    await expectAgreement();
    const bill = await b.call<{ parentCount: number; childCount: number }>('bills.get', { billNo: 'B-1' });
    expect(bill).toMatchObject({ parentCount: 1, childCount: 2 });
    expect((await conflictsOf(b)).map((c) => c.kind)).toEqual(['bill_not_open']);
  });
});

describe('the dispatch area at the centre', () => {
  let db: CentralDb;
  let north: SyncedStation;
  let south: SyncedStation;

  beforeEach(async () => {
    db = await createCentralDb();
    north = await joinedStation(db, 'North dock', 'NORTH');
    south = await joinedStation(db, 'South dock', 'SOUTH');
    await addAdmin(db, north, 'ana');
    await addAdmin(db, south, 'bob');
    await south.addUser('dev', 'dock', { dispatchArea: 'SOUTH' });
    for (const [s, admin, area] of [
      [north, 'ana', 'NORTH'],
      [south, 'bob', 'SOUTH'],
    ] as const) {
      await s.login(admin);
      await s.call('settings.update', { dispatchArea: area });
      await s.call('auth.logout');
    }
  });
  afterEach(async () => {
    north?.dispose();
    south?.dispose();
    await db?.drop();
  });

  it('refuses a dock worker’s link into a parent the other area saw first; a supervisor’s stands', async () => {
    await north.login('ana');
    await north.scan('SB00005');
    await north.scan('SB00006');
    await south.login('dev');
    await south.scan('SB00005'); // offline, South takes it for its own new parent
    await south.scan(child(1));
    await north.engine.cycle();
    await south.engine.cycle();

    expect((await centralState(db)).links).toEqual([]);
    await south.call('auth.logout');
    await south.login('bob');
    const [conflict] =
      await south.call<{ kind: string; central: Record<string, unknown> }[]>('conflicts.list');
    expect(conflict).toMatchObject({
      kind: 'other_area',
      central: { parent: 'SB00005', parentArea: 'NORTH', stationArea: 'SOUTH' },
    });
    expect(localState(south.station.ctx.sqlite).links).toEqual([]);

    // The supervisor at South may link into a North parent (a deliberate cross-area load).
    await south.scan('SB00006');
    await south.scan(child(2));
    await south.engine.cycle();
    await north.engine.cycle();
    const central = await centralState(db);
    expect(central.links).toEqual([`${child(2)}>SB00006`]);
    expect(localState(north.station.ctx.sqlite)).toEqual(central);
    expect(localState(south.station.ctx.sqlite)).toEqual(central);
    expect(counterMismatches(south.station.ctx.sqlite)).toEqual([]);
  });
});

/**
 * The centre holds the authority: each case is tried with only station North's enrolment (the pooled login and
 * North's proof), straight through the sync functions as a hostile station would, never through station code.
 */
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, type Enrolment } from './enrol.ts';
import { setUser } from './it-admin.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { opHash } from '../sync/op-identity.ts';

const AT = 1_768_471_200_000;
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

async function asStation<T>(e: Enrolment, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: e.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface Reply {
  lastAppliedSeq: number;
  results: { seq: number; status: string; kind?: string }[];
}

function scanOp(seq: number, username: string, parent: string, childCode: string, area: string) {
  const bag = (code: string, kind: string) => ({
    type: 'bag.created',
    id: uuidv7(),
    code,
    kind,
    dispatchArea: area,
    at: AT,
  });
  return {
    seq,
    op: 'scan',
    payload: {
      scan: {
        id: uuidv7(),
        at: AT,
        raw: childCode,
        code: childCode,
        action: 'link',
        outcome: 'linked',
        username,
        scanner: 'kbd',
        parentCode: parent,
      },
      effects: [
        bag(parent, 'parent'),
        bag(childCode, 'child'),
        { type: 'link.created', id: uuidv7(), childCode, parentCode: parent, at: AT },
      ],
    },
  };
}

describe('a station may act only as itself', () => {
  let db: CentralDb;
  let north: Enrolment;
  let south: Enrolment;
  const seq = new Map<string, number>();
  const push = async (e: Enrolment, ops: { op: string; payload: unknown; seq?: number }[]) => {
    let next = seq.get(e.stationId) ?? 0;
    const numbered = ops.map((o) => ({ ...o, seq: ++next }));
    seq.set(e.stationId, next);
    return asStation(
      e,
      async (c) =>
        (
          await c.query('select sync.push($1, $2, 2, $3) as r', [
            e.stationId,
            e.secret,
            JSON.stringify({
              incarnation: 1,
              ops: numbered.map((o) => ({
                ...o,
                id: uuidv7(),
                hash: opHash(o.op, JSON.stringify(o.payload)),
              })),
            }),
          ])
        ).rows[0].r as Reply,
    );
  };
  const refusals = () =>
    db.query<{ op: string; kind: string; flagged_only: boolean }>(
      'select op, kind, flagged_only from refusals order by id',
    );

  beforeAll(async () => {
    db = await createCentralDb();
    north = await addStation({ adminUrl: db.adminUrl, name: 'North', dispatchArea: 'NORTH', insecure: true });
    south = await addStation({ adminUrl: db.adminUrl, name: 'South', dispatchArea: 'SOUTH', insecure: true });
    await setUser(db.adminUrl, { username: 'root', role: 'admin', areas: [], passwordHash: HASH });
    await setUser(db.adminUrl, { username: 'nina', role: 'dock', areas: ['NORTH'], passwordHash: HASH });
    await setUser(db.adminUrl, { username: 'sam', role: 'supervisor', areas: ['SOUTH'], passwordHash: HASH });
    await setUser(db.adminUrl, {
      username: 'max',
      role: 'supervisor',
      areas: ['NORTH', 'SOUTH'],
      passwordHash: HASH,
    });
    // South's own work, made legitimately: a bill and a link.
    const reply = await push(south, [
      {
        op: 'bill.create',
        payload: {
          id: uuidv7(),
          billNo: 'S-1',
          destination: 'X',
          vehicleNo: 'V',
          capacity: 5,
          dispatchArea: 'SOUTH',
          at: AT,
          by: 'sam',
        },
      },
      scanOp(0, 'sam', 'SB00001', 'CHS001', 'SOUTH'),
    ]);
    expect(reply.results).toEqual([]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('cannot create an admin, a user of another area, or change an admin’s password', async () => {
    const user = (username: string, role: string, dispatchArea: string | null) => ({
      op: 'user.upsert',
      payload: {
        id: uuidv7(),
        username,
        displayName: username,
        role,
        dispatchArea,
        passwordHash: 'evil',
        pinHash: null,
        badgeCode: null,
        active: true,
        createdAt: AT,
      },
    });
    const reply = await push(north, [
      user('mallory', 'admin', null),
      user('sid', 'dock', 'SOUTH'),
      user('root', 'supervisor', 'NORTH'),
      user('sam', 'supervisor', 'NORTH'),
      user('ned', 'dock', null), // a dock worker of North's own area: allowed
    ]);
    expect(reply.lastAppliedSeq).toBe(5);
    expect(reply.results.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'user_role_not_allowed'],
      ['rejected', 'user_other_area'],
      ['rejected', 'user_role_not_allowed'],
      ['rejected', 'user_other_area'],
    ]);
    const users = await db.query<{ username: string; role: string; password_hash: string; areas: string[] }>(
      'select username, role, password_hash, areas from users order by username',
    );
    expect(users.map((u) => u.username)).toEqual(['max', 'ned', 'nina', 'root', 'sam']);
    expect(users.find((u) => u.username === 'root')).toMatchObject({ role: 'admin', password_hash: HASH });
    expect(users.find((u) => u.username === 'sam')).toMatchObject({ password_hash: HASH, areas: ['SOUTH'] });
    expect(users.find((u) => u.username === 'ned')).toMatchObject({ role: 'dock', areas: ['NORTH'] });
    expect((await refusals()).filter((r) => r.op === 'user.upsert')).toHaveLength(4);
  });

  it('cannot complete or reopen another area’s bill, nor remove another area’s link', async () => {
    const [link] = await db.query<{ id: string }>(`select id from links where child_code = 'CHS001'`);
    const reply = await push(north, [
      { op: 'bill.complete', payload: { billNo: 'S-1', at: AT, by: 'nina' } },
      { op: 'bill.reopen', payload: { billNo: 'S-1', at: AT, by: 'nina' } },
      {
        op: 'link.remove',
        payload: { linkId: link!.id, childCode: 'CHS001', parentCode: 'SB00001', at: AT, scan: null },
      },
    ]);
    expect(reply.results.map((r) => r.kind)).toEqual([
      'bill_other_area',
      'bill_other_area',
      'link_other_area',
    ]);
    expect(await db.query(`select status from bills where bill_no = 'S-1'`)).toEqual([{ status: 'open' }]);
    expect(await db.query(`select removed_at from links where id = $1`, [link!.id])).toEqual([
      { removed_at: null },
    ]);
  });

  it('cannot change its own area or capacity through a push', async () => {
    const reply = await push(north, [
      {
        op: 'station.update',
        payload: { name: 'North', dispatchArea: 'SOUTH', profile: { parentCapacity: 500 } },
      },
    ]);
    expect(reply.results.map((r) => r.kind)).toEqual(['station_settings_by_it']);
    expect(
      await db.query('select dispatch_area, parent_capacity from stations where id = $1', [north.stationId]),
    ).toEqual([{ dispatch_area: 'NORTH', parent_capacity: 30 }]);
  });

  it('a scan written as a user of another area is kept, flagged, and judged as a dock worker’s', async () => {
    // sam is a South supervisor: as the actor at North, his cross-area link would have been allowed.
    const reply = await push(north, [scanOp(0, 'sam', 'SB00001', 'CHN001', 'NORTH')]);
    expect(reply.results.map((r) => [r.status, r.kind])).toEqual([['conflict', 'other_area']]);
    expect(await db.query(`select count(*)::int as n from scans where code = 'CHN001'`)).toEqual([{ n: 1 }]);
    expect((await refusals()).filter((r) => r.kind === 'actor_not_of_station')).toEqual([
      { op: 'scan', kind: 'actor_not_of_station', flagged_only: true },
    ]);
    // max belongs to both areas: his link across them stands.
    const ok = await push(north, [scanOp(0, 'max', 'SB00001', 'CHN002', 'NORTH')]);
    expect(ok.results).toEqual([]);
  });

  it('pulls only its own area’s users (and admins); a user who leaves the area comes down as "forget"', async () => {
    const usersOf = (e: Enrolment) =>
      asStation(e, async (c) => {
        const rows = (
          await c.query('select * from sync.snapshot_users($1, $2, 2, $3, 100)', [e.stationId, e.secret, ''])
        ).rows as { username: string }[];
        return rows.map((r) => r.username);
      });
    expect(await usersOf(north)).toEqual(['max', 'ned', 'nina', 'root']);
    expect(await usersOf(south)).toEqual(['max', 'root', 'sam']);
    // A pull sends each changed row as it is now (0007): max comes with his hash while he is in North...
    const pullUsers = () =>
      asStation(north, async (c) => {
        const r = (
          await c.query('select sync.pull($1, $2, 2, 1, $3, 0, 10000) as r', [
            north.stationId,
            north.secret,
            '0',
          ])
        ).rows[0].r as { changes: { entity: string; row: Record<string, unknown> }[] };
        return r.changes.filter((ch) => ch.entity === 'users').map((ch) => ch.row);
      });
    const whileNorth = await pullUsers();
    await setUser(db.adminUrl, { username: 'max', role: 'supervisor', areas: ['SOUTH'] });
    const afterLeaving = await pullUsers();
    const pulled = [...whileNorth, ...afterLeaving];
    expect(afterLeaving.filter((r) => r.username === 'max').every((r) => r.forget === true)).toBe(true);
    // Its own writes (ned) are left out as ever; ...and, once he left, as "forget".
    const hashes = pulled.filter((r) => 'password_hash' in r).map((r) => r.username);
    expect(new Set(hashes)).toEqual(new Set(['root', 'nina', 'max']));
    expect(pulled.filter((r) => r.username === 'max').at(-1)).toEqual({
      id: expect.any(String),
      username: 'max',
      forget: true,
    });
    expect(pulled.filter((r) => r.username === 'sam').every((r) => r.forget === true)).toBe(true);
  });

  it('never shows a proof in pg_stat_activity, and cannot unset its log settings', async () => {
    await asStation(north, async (c) => {
      await c.query('select sync.hello($1, $2, 2, 1, 0, null)', [north.stationId, north.secret]);
      const seen = await db.query<{ query: string }>(
        'select query from pg_stat_activity where datname = $1',
        [db.name],
      );
      expect(seen.some((r) => r.query.includes('sync.hello'))).toBe(true);
      expect(seen.some((r) => r.query.includes(north.secret!))).toBe(false);
      const err = await c.query('set log_parameter_max_length = -1').then(
        () => null,
        (e: { code?: string }) => e.code,
      );
      expect(err).toBe('42501');
    });
  });

  it('cannot take advisory locks, sleep, terminate another station’s backend, or make temp tables', async () => {
    await asStation(north, async (c) => {
      for (const sql of [
        'select pg_advisory_lock(1)',
        'select pg_try_advisory_lock(1)',
        'select pg_advisory_xact_lock(1)',
        'select pg_sleep(0)',
        'select pg_terminate_backend(pg_backend_pid())',
        'select pg_cancel_backend(pg_backend_pid())',
        `select pg_notify('x', 'y')`,
        'create temp table t (x int)',
      ]) {
        const code = await c.query(sql).then(
          () => 'allowed',
          (e: { code?: string }) => e.code,
        );
        expect([sql, code]).toEqual([sql, '42501']);
      }
    });
  });

  it('moves or removes a link another station of its area made only as a supervisor, or as its maker', async () => {
    const north2 = await addStation({
      adminUrl: db.adminUrl,
      name: 'North 2',
      dispatchArea: 'NORTH',
      insecure: true,
    });
    await setUser(db.adminUrl, { username: 'dora', role: 'dock', areas: ['NORTH'], passwordHash: HASH });
    await setUser(db.adminUrl, { username: 'sue', role: 'supervisor', areas: ['NORTH'], passwordHash: HASH });
    // North 2's links, made by nina there; and one of North's own.
    expect(
      (
        await push(north2, [
          scanOp(0, 'nina', 'SB00100', 'CHN100', 'NORTH'),
          scanOp(0, 'nina', 'SB00100', 'CHN101', 'NORTH'),
          scanOp(0, 'nina', 'SB00100', 'CHN102', 'NORTH'),
        ])
      ).results,
    ).toEqual([]);
    expect((await push(north, [scanOp(0, 'nina', 'SB00101', 'CHN103', 'NORTH')])).results).toEqual([]);
    const links = new Map(
      (
        await db.query<{ id: string; child_code: string; parent_code: string }>(
          `select id, child_code, parent_code from links where child_code like 'CHN10%' and removed_at is null`,
        )
      ).map((l) => [l.child_code, l]),
    );
    const by = (username: string, code: string, action: string, parentCode: string) => ({
      id: uuidv7(),
      at: AT,
      raw: code,
      code,
      action,
      outcome: action === 'move' ? 'moved' : 'unlinked',
      username,
      scanner: 'screen',
      parentCode,
    });
    const remove = (username: string, child: string) => {
      const l = links.get(child)!;
      return {
        op: 'link.remove',
        payload: {
          scan: by(username, child, 'unlink', l.parent_code),
          linkId: l.id,
          childCode: child,
          parentCode: l.parent_code,
          at: AT,
        },
      };
    };
    const move = (username: string, child: string, toParent: string) => {
      const l = links.get(child)!;
      return {
        op: 'link.move',
        payload: {
          scan: by(username, child, 'move', toParent),
          removedLinkId: l.id,
          linkId: uuidv7(),
          childCode: child,
          fromParent: l.parent_code,
          toParent,
          at: AT,
        },
      };
    };
    const reply = (await push(north, [
      remove('dora', 'CHN100'), // a dock worker, another station's link made by someone else: refused
      move('dora', 'CHN100', 'SB00101'), // the same as a move: refused
      remove('nina', 'CHN101'), // the undo of nina's own link, made at North 2: allowed
      move('sue', 'CHN102', 'SB00101'), // a supervisor: allowed
      remove('dora', 'CHN103'), // North's own link: today's rules
    ])) as Reply & { results: { kind?: string; apply?: { entity: string; row: { id: string } }[] }[] };
    expect(reply.results.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'link_other_station'],
      ['rejected', 'link_other_station'],
    ]);
    // The station is given the link back, and the conflict names it for its supervisor.
    expect(reply.results[0]!.apply).toEqual([
      { entity: 'links', row: expect.objectContaining({ id: links.get('CHN100')!.id }) },
    ]);
    const active = await db.query<{ child_code: string; parent_code: string }>(
      `select child_code, parent_code from links where child_code like 'CHN10%' and removed_at is null
       order by child_code`,
    );
    expect(active).toEqual([
      { child_code: 'CHN100', parent_code: 'SB00100' },
      { child_code: 'CHN102', parent_code: 'SB00101' },
    ]);
    expect(
      await db.query(
        `select op, kind, actor, subject from refusals where kind = 'link_other_station' order by id`,
      ),
    ).toEqual([
      { op: 'link.remove', kind: 'link_other_station', actor: 'dora', subject: 'CHN100' },
      { op: 'link.move', kind: 'link_other_station', actor: 'dora', subject: 'CHN100' },
    ]);
    expect(
      await db.query(`select count(*)::int as n from conflicts where kind = 'link_other_station'`),
    ).toEqual([{ n: 2 }]);
    // Both refused operations' scans are still recorded.
    expect(
      await db.query(`select count(*)::int as n from scans where code = 'CHN100' and action <> 'link'`),
    ).toEqual([{ n: 2 }]);
  });
  // Decided after the review of issue 12 (i12-break): the centre cannot tell her own new PIN from a hash the
  // station chose for her, which her other area's stations would take; a user of several areas changes only
  // through IT. Her change is refused, recorded, and stays on the station (no row to put back).
  it('refuses a PIN change of a supervisor of two areas from a station: IT changes such users', async () => {
    await setUser(db.adminUrl, {
      username: 'mia',
      role: 'supervisor',
      areas: ['SOUTH', 'NORTH'],
      passwordHash: HASH,
    });
    const [mia] = await db.query<{ id: string }>(`select id from users where username = 'mia'`);
    const reply = await push(north, [
      {
        op: 'user.upsert',
        payload: {
          id: mia!.id,
          username: 'mia',
          displayName: 'mia',
          role: 'supervisor',
          dispatchArea: 'SOUTH',
          passwordHash: HASH,
          pinHash: 'new-pin-hash',
          badgeCode: null,
          active: true,
          createdAt: AT,
        },
      },
    ]);
    expect(reply.results).toEqual([
      expect.objectContaining({ status: 'rejected', kind: 'user_of_several_areas', apply: [] }),
    ]);
    expect(await db.query(`select pin_hash, areas, dispatch_area from users where username = 'mia'`)).toEqual(
      [{ pin_hash: null, areas: ['SOUTH', 'NORTH'], dispatch_area: 'SOUTH' }],
    );
    expect(
      await db.query(
        `select kind, subject from refusals where station_id = $1 and op = 'user.upsert'
        and subject = 'mia'`,
        [north.stationId],
      ),
    ).toEqual([{ kind: 'user_of_several_areas', subject: 'mia' }]);
  });
});

/**
 * The centre's checks on weights (central 0012): each case is pushed with only a station's enrolment (the pooled
 * login and its proof), straight through sync.push as a hostile or broken station would, never through station
 * code. A station records weights only for parent bags of its own area; only a supervisor or admin of the area
 * acknowledges one, and only a weighing that was off; values that make no sense refuse the batch (22023).
 */
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, type Enrolment } from './enrol.ts';
import { setUser } from './it-admin.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';
import { opHash } from '../sync/op-identity.ts';
import { weightPayload } from '../sync/testing/weights.ts';

const AT = 1_768_471_200_000;
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

interface Reply {
  lastAppliedSeq: number;
  results: { seq: number; status: string; kind?: string; apply?: unknown[] }[];
}

async function asStation<T>(e: Enrolment, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: e.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function scanOp(username: string, parent: string, childCode: string, area: string) {
  const bag = (code: string, kind: string) => ({
    type: 'bag.created',
    id: uuidv7(),
    code,
    kind,
    dispatchArea: area,
    at: AT,
  });
  return {
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

const weigh = (parent: string, facts: Parameters<typeof weightPayload>[1]) => ({
  op: 'weight',
  payload: weightPayload(parent, facts),
});
const ack = (weightId: string, parentCode: string, by: string) => ({
  op: 'weight.ack',
  payload: { weightId, parentId: uuidv7(), parentCode, by, userId: uuidv7(), at: AT + 2_000 },
});

describe('the centre’s checks on weights', () => {
  let db: CentralDb;
  let north: Enrolment;
  let south: Enrolment;

  /** One batch after the station's last applied seq. */
  const push = async (e: Enrolment, ops: { op: string; payload: unknown }[]): Promise<Reply> => {
    const [{ seq }] = (await db.query<{ seq: number }>(
      'select last_applied_seq::int as seq from stations where id = $1',
      [e.stationId],
    )) as [{ seq: number }];
    return asStation(
      e,
      async (c) =>
        (
          await c.query('select sync.push($1, $2, 2, $3) as r', [
            e.stationId,
            e.secret,
            JSON.stringify({
              incarnation: 1,
              ops: ops.map((o, i) => ({
                ...o,
                seq: seq + i + 1,
                id: uuidv7(),
                hash: opHash(o.op, JSON.stringify(o.payload)),
              })),
            }),
          ])
        ).rows[0].r as Reply,
    );
  };
  const kinds = (r: Reply) => r.results.map((x) => [x.status, x.kind]);
  const weights = () =>
    db.query<{ parent_code: string; username: string; ack_by: string | null }>(
      'select parent_code, username, ack_by from parent_weights order by at, id',
    );

  beforeAll(async () => {
    db = await createCentralDb();
    north = await addStation({ adminUrl: db.adminUrl, name: 'North', dispatchArea: 'NORTH', insecure: true });
    south = await addStation({ adminUrl: db.adminUrl, name: 'South', dispatchArea: 'SOUTH', insecure: true });
    await setUser(db.adminUrl, { username: 'root', role: 'admin', areas: [], passwordHash: HASH });
    await setUser(db.adminUrl, { username: 'nina', role: 'dock', areas: ['NORTH'], passwordHash: HASH });
    await setUser(db.adminUrl, {
      username: 'nora',
      role: 'supervisor',
      areas: ['NORTH'],
      passwordHash: HASH,
    });
    await setUser(db.adminUrl, { username: 'sam', role: 'supervisor', areas: ['SOUTH'], passwordHash: HASH });
    expect((await push(north, [scanOp('nina', 'SB00001', 'CHN001', 'NORTH')])).results).toEqual([]);
    expect((await push(south, [scanOp('sam', 'SB00501', 'CHS001', 'SOUTH')])).results).toEqual([]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records weights only for parent bags the centre has, of the station’s own area', async () => {
    const reply = await push(north, [
      weigh('SB00501', { at: AT + 1_000, username: 'nina' }),
      weigh('CHN001', { at: AT + 1_000, username: 'nina' }),
      weigh('SB09999', { at: AT + 1_000, username: 'nina' }),
    ]);
    expect(kinds(reply)).toEqual([
      ['rejected', 'weight_other_area'],
      ['rejected', 'weight_not_parent'],
      ['rejected', 'weight_not_parent'],
    ]);
    expect(reply.results.every((r) => Array.isArray(r.apply) && r.apply.length === 0)).toBe(true);
    expect(await weights()).toEqual([]);
    expect(
      await db.query(`select kind, subject, actor from refusals where op = 'weight' order by id`),
    ).toEqual([
      { kind: 'weight_other_area', subject: 'SB00501', actor: 'nina' },
      { kind: 'weight_not_parent', subject: 'CHN001', actor: 'nina' },
      { kind: 'weight_not_parent', subject: 'SB09999', actor: 'nina' },
    ]);
    expect(await db.query(`select count(*)::int as n from conflicts where op = 'weight'`)).toEqual([
      { n: 3 },
    ]);
  });

  it('keeps a weighing by someone who may not work at the station, and flags it for IT', async () => {
    const reply = await push(north, [weigh('SB00001', { at: AT + 1_000, username: 'sam', check: 'ok' })]);
    expect(reply.results).toEqual([]);
    expect(await weights()).toEqual([{ parent_code: 'SB00001', username: 'sam', ack_by: null }]);
    expect(
      await db.query(`select kind, actor, flagged_only from refusals where op = 'weight' and flagged_only`),
    ).toEqual([{ kind: 'actor_not_of_station', actor: 'sam', flagged_only: true }]);
  });

  it('takes an acknowledgement only from a supervisor or admin of the area, of a weighing that was off', async () => {
    const okId = (await db.query<{ id: string }>('select id::text as id from parent_weights'))[0]!.id;
    const off = weigh('SB00001', { at: AT + 1_500, username: 'nina', check: 'off', kg: 2.1 });
    const offId = off.payload.weight.id;
    expect((await push(north, [off])).results).toEqual([]);

    const refused = await push(north, [
      ack(offId, 'SB00001', 'nina'), // a dock worker
      ack(offId, 'SB00001', 'sam'), // a supervisor of another area
      ack(uuidv7(), 'SB00001', 'nora'), // a weighing the centre does not have
      ack(offId, 'SB00501', 'nora'), // the right weighing under another parent
      ack(okId, 'SB00001', 'nora'), // a weighing whose check was not off
    ]);
    expect(kinds(refused)).toEqual([
      ['rejected', 'ack_not_supervisor'],
      ['rejected', 'ack_not_supervisor'],
      ['rejected', 'weight_unknown'],
      ['rejected', 'weight_unknown'],
      ['rejected', 'weight_not_off'],
    ]);
    // South's supervisor, at South, of North's weighing.
    expect(kinds(await push(south, [ack(offId, 'SB00001', 'sam')]))).toEqual([
      ['rejected', 'weight_other_area'],
    ]);
    expect(await db.query(`select ack_by from parent_weights where id = $1`, [offId])).toEqual([
      { ack_by: null },
    ]);

    // North's supervisor acknowledges; a second acknowledgement (an admin's, made offline) leaves the first.
    expect((await push(north, [ack(offId, 'SB00001', 'nora')])).results).toEqual([]);
    expect((await push(north, [ack(offId, 'SB00001', 'root')])).results).toEqual([]);
    expect(
      await db.query(`select ack_by, ack_at::bigint = $2::bigint as at from parent_weights where id = $1`, [
        offId,
        AT + 2_000,
      ]),
    ).toEqual([{ ack_by: 'nora', at: true }]);
  });

  const kgOf = (kg: unknown) => {
    const op = weigh('SB00001', { at: AT + 3_000 });
    (op.payload.weight as Record<string, unknown>).kg = kg;
    return op;
  };
  const withField = (field: string, value: unknown) => {
    const op = weigh('SB00001', { at: AT + 3_000 });
    (op.payload.weight as Record<string, unknown>)[field] = value;
    return op;
  };

  it.each([
    ['a negative kg', kgOf(-0.5), /has -0\.5 kg/],
    ['NaN as a string', kgOf('NaN'), /has NaN kg/],
    ['an absurd kg', kgOf(250_000), /has 250000 kg/],
    ['a recorded weight without kg', kgOf(null), /has no kg/],
    ['"weigh later" with a kg', withField('state', 'later'), /is "weigh later" but has a weight/],
    ['a state the station does not make', withField('state', 'guessed'), /has the state "guessed"/],
    ['a check the station does not make', withField('check', 'maybe'), /has the check "maybe"/],
    ['a negative tare', withField('tareKg', -1), /has a tare of -1 kg/],
    ['half a child', withField('childCount', 2.5), /has 2\.5 children/],
    ['no weighing id', withField('id', 'w-1'), /has no weight id/],
  ])(
    'refuses a weighing with %s: 22023, a sentence, nothing of the batch applied',
    async (_what, op, why) => {
      const before = await db.query('select last_applied_seq from stations where id = $1', [north.stationId]);
      const count = await db.query('select count(*)::int as n from parent_weights');
      const err = await push(north, [weigh('SB00001', { at: AT + 3_000 }), op]).then(
        () => null,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(err?.code).toBe('22023');
      expect(err?.message).toMatch(/^Push refused: a weighing of parent SB00001 /);
      expect(err?.message).toMatch(why);
      expect(
        await db.query('select last_applied_seq from stations where id = $1', [north.stationId]),
      ).toEqual(before);
      expect(await db.query('select count(*)::int as n from parent_weights')).toEqual(count);
    },
  );

  it('refuses an acknowledgement that names no one (22023)', async () => {
    const op = ack(uuidv7(), 'SB00001', 'nora');
    (op.payload as Record<string, unknown>).by = null;
    await expect(push(north, [op])).rejects.toMatchObject({
      code: '22023',
      message: expect.stringMatching(
        /^Push refused: the acknowledgement of a weight of parent SB00001 needs/,
      ),
    });
  });

  it('the pooled login reads no weight, and calls none of the weight functions', async () => {
    for (const sql of [
      'select * from public.parent_weights',
      'select * from public.parent_weight_now',
      'select * from public.bill_weights',
      `select public.weight_problem('{}'::jsonb)`,
      `select public.check_weight('{}'::jsonb)`,
    ]) {
      const code = await asStation(north, (c) =>
        c.query(sql).then(
          () => 'allowed',
          (e: { code?: string }) => e.code,
        ),
      );
      expect([sql, code]).toEqual([sql, '42501']);
    }
  });
});

/**
 * A push the centre cannot read as a batch (issue 12's review, hole 10): a seq below 1 or not whole, an
 * operation without a name or an object payload, more than 5,000 operations. Refused whole with a sentence
 * (SQLSTATE 22023, which the station shows as its last sync error), and nothing of it applied.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, type Enrolment } from './enrol.ts';
import { createCentralDb, type CentralDb } from './scratch-db.ts';

let db: CentralDb;
let station: Enrolment;

beforeAll(async () => {
  db = await createCentralDb();
  station = await addStation({
    adminUrl: db.adminUrl,
    name: 'Dock 1',
    dispatchArea: 'NORTH',
    insecure: true,
  });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function push(ops: unknown[]): Promise<{ lastAppliedSeq?: number }> {
  const c = new pg.Client({ connectionString: station.url });
  await c.connect();
  try {
    const r = await c.query<{ r: { lastAppliedSeq?: number } }>('select sync.push($1, $2, 2, $3) as r', [
      station.stationId,
      station.secret,
      JSON.stringify({ incarnation: 1, ops }),
    ]);
    return r.rows[0]!.r;
  } finally {
    await c.end();
  }
}

const resolve = (seq: unknown, payload: unknown = { conflictId: 0, resolution: 'keep_central' }) => ({
  seq,
  id: randomUUID(),
  hash: `h${String(seq)}`,
  op: 'conflict.resolve',
  payload,
});

describe('a push the centre cannot read as a batch', () => {
  it.each([
    ['a seq of 0', [resolve(0)]],
    ['a negative seq', [resolve(-3)]],
    ['a seq that is not whole', [resolve(1.5)]],
    ['no seq', [resolve(null)]],
    ['a null payload', [resolve(1, null)]],
    ['an operation without a name', [{ ...resolve(1), op: null }]],
  ])('refuses %s with a sentence and applies nothing', async (_what, ops) => {
    await expect(push(ops)).rejects.toMatchObject({
      code: '22023',
      message: expect.stringMatching(/^Push refused: operation .* needs a seq of 1 or more/),
    });
    expect(await db.query(`select last_applied_seq::int as seq from stations`)).toEqual([{ seq: 0 }]);
  });

  it('refuses more than 5,000 operations in one batch, and takes a good batch after', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => resolve(i + 1));
    await expect(push(many)).rejects.toMatchObject({
      code: '22023',
      message: 'Push refused: 5001 operations in one batch; send at most 5000.',
    });
    expect(await db.query(`select last_applied_seq::int as seq from stations`)).toEqual([{ seq: 0 }]);
    expect((await push([resolve(1)])).lastAppliedSeq).toBe(1);
  });
});

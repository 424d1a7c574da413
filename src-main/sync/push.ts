import type { CentralApplier, CentralRow } from './apply.ts';
import { SyncError, type CentralClient, type SentOp } from './central-client.ts';
import type { SyncStateRepo } from './local-state.ts';
import { opHash } from './op-identity.ts';
import { opProblem, parseChanges } from './protocol.ts';
import type { Context } from '../store/context.ts';
import { formatError } from '../../src-shared/errors.ts';

export interface BatchLimits {
  maxOps: number;
  maxBytes: number;
}

export const defaultBatchLimits: BatchLimits = { maxOps: 500, maxBytes: 512 * 1024 };

/** problem: why the operation does not match the protocol (it goes to the centre as rejected, alone). */
type OutboxRow = SentOp & { problem?: string };

interface OpResult {
  seq: number;
  status: 'applied' | 'duplicate' | 'merged' | 'conflict' | 'rejected';
  kind?: string;
  conflictId?: number;
  local?: unknown;
  central?: unknown;
  apply?: CentralRow[];
  conflicts?: { conflictId: number; kind: string; local: unknown; central: unknown }[];
}

/** One batch as sync.push reads it: {"incarnation": n, "ops": [{seq, id, hash, op, payload}]}. */
export function encodeBatch(incarnation: number, rows: SentOp[]): string {
  const ops = rows.map(
    (r) =>
      `{"seq":${r.seq},"id":${JSON.stringify(r.id)},"hash":"${r.hash}","op":${JSON.stringify(r.op)},"payload":${r.payload}}`,
  );
  return `{"incarnation":${incarnation},"ops":[${ops.join(',')}]}`;
}

/** The outbox rows with their content hash, as they go to the centre. */
export function withHash(rows: Omit<SentOp, 'hash'>[]): SentOp[] {
  return rows.map((r) => ({ ...r, hash: opHash(r.op, r.payload) }));
}

/**
 * Upload: the outbox in seq order, in batches bounded by count and bytes, one function call per batch. A row
 * is marked sent only after the centre's COMMIT came back with its result; rejections are recorded here and
 * their corrections (the centre's rows) applied in the same SQLite transaction.
 */
export function createPusher(
  ctx: Context,
  client: CentralClient,
  state: SyncStateRepo,
  applier: CentralApplier,
  limits: BatchLimits = defaultBatchLimits,
) {
  const unsent = ctx.sqlite.prepare(
    `select seq, id, op, payload from outbox where sent_at is null order by seq limit ?`,
  );
  const markSent = ctx.sqlite.prepare(
    `update outbox set sent_at = ?, result = ? where seq = ? and sent_at is null`,
  );

  function nextBatch(): OutboxRow[] {
    const rows = withHash(unsent.all(limits.maxOps) as Omit<OutboxRow, 'hash'>[]);
    let bytes = 0;
    const batch: OutboxRow[] = [];
    for (const row of rows) {
      const problem = opProblem(row.op, row.payload);
      if (problem !== null) {
        if (batch.length === 0) return [{ ...row, problem }];
        break;
      }
      bytes += row.payload.length + 64;
      if (batch.length > 0 && bytes > limits.maxBytes) break;
      batch.push(row);
    }
    return batch;
  }

  const encode = encodeBatch;

  /**
   * Marks sent every row the centre has applied (seq <= lastAppliedSeq: this batch's and any resent ones); the
   * reply lists only the operations that were not simply applied, with the rows that correct this station.
   */
  function acknowledge(rows: OutboxRow[], reply: Record<string, unknown>): number {
    const lastApplied = Number(reply.lastAppliedSeq ?? 0);
    const results = ((reply.results ?? []) as OpResult[]).map((r) => ({
      ...r,
      apply: parseChanges(r.apply),
    }));
    const special = new Map(results.map((r) => [r.seq, r]));
    const at = ctx.clock.now();
    const applied = rows.filter((row) => row.seq <= lastApplied);
    ctx.transaction(() => {
      for (const row of applied) {
        const r: OpResult = special.get(row.seq) ?? { seq: row.seq, status: 'applied' };
        const { apply, ...kept } = r;
        markSent.run(at, JSON.stringify(kept), r.seq);
        if ((r.status === 'conflict' || r.status === 'rejected') && r.conflictId !== undefined) {
          state.addConflict(
            {
              centralId: r.conflictId,
              seq: r.seq,
              op: row.op,
              kind: r.kind ?? r.status,
              local: r.local,
              central: r.central,
            },
            at,
          );
        }
        for (const c of r.conflicts ?? []) {
          state.addConflict({ centralId: c.conflictId, seq: r.seq, op: row.op, ...c }, at);
        }
        for (const change of apply ?? []) applier.apply(change);
      }
      state.pushed(at);
    });
    return applied.length;
  }

  /** The centre found another history under this station's seqs: nothing is acknowledged, sending stops. */
  function diverged(reply: Record<string, unknown>): never {
    ctx.transaction(() => state.setDiverged(JSON.stringify(reply.diverged ?? {}), ctx.clock.now()));
    throw new SyncError('diverged', formatError('sync_diverged'));
  }

  async function pushRows(rows: OutboxRow[]): Promise<number> {
    const incarnation = state.incarnation();
    let reply: Record<string, unknown>;
    const only = rows.length === 1 ? rows[0]! : null;
    try {
      reply = only?.problem
        ? await client.reject(incarnation, only, `This station cannot send it as it is: ${only.problem}.`)
        : await client.push(encode(incarnation, rows));
    } catch (e) {
      if (!(e instanceof SyncError) || e.kind !== 'rejected_batch') throw e;
      // A malformed operation fails its whole batch: find it by sending one at a time.
      if (rows.length > 1) {
        let n = 0;
        for (const row of rows) n += await pushRows([row]);
        return n;
      }
      const row = rows[0]!;
      reply = await client.reject(incarnation, row, e.message);
    }
    if (reply.error === 'diverged') diverged(reply);
    const done = acknowledge(rows, reply);
    if (reply.error === 'gap') {
      throw new SyncError(
        'gap',
        `The centre expected change ${String(reply.expected)} from this station but got ${String(reply.got)}: ask IT to check the centre's copy of this station.`,
      );
    }
    return done;
  }

  return {
    /** Pushes until the outbox is empty; returns how many operations the centre acknowledged. */
    async pushAll(): Promise<number> {
      let total = 0;
      for (;;) {
        const batch = nextBatch();
        if (batch.length === 0) return total;
        total += await pushRows(batch);
      }
    },
  };
}

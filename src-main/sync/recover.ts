import type { CentralClient } from './central-client.ts';
import type { ProgressListener } from './progress.ts';
import type { SyncStateRepo } from './local-state.ts';
import { parseOwnScan } from './protocol.ts';
import type { Context } from '../store/context.ts';

export interface RecoverResult {
  incarnation: number;
  /** The centre's last applied seq the unsent operations now follow. */
  base: number;
  /** Unsent operations here that the centre had in fact applied (pushed after the backup was taken). */
  alreadyApplied: number;
  /** Unsent operations renumbered after base, in their old seq order. */
  renumbered: number;
}

interface UnsentRow {
  seq: number;
  id: string;
  op: string;
  payload: string;
}

const SCAN_PAGE = 5_000;

function scanIdOf(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { scan?: { id?: unknown } }).scan?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/**
 * A station whose history differs from the centre's (restored from a backup, or re-joined) starts again from
 * the centre's answer, losing nothing either side acknowledged:
 * - recover: a new incarnation at the centre (the old one is fenced), its unsent operations that the centre had
 *   already applied marked sent, the others renumbered after the centre's last applied seq in their old order,
 *   and the pull cursor reset so the next pull loads the centre's rows again (this station's own included);
 * - restoreScans (after that load): this station's own scans the centre holds and this database lacks;
 * - rebase: a station joined under a new enrolment keeps its seqs (the centre starts from its first unsent one).
 */
export function createRecovery(
  ctx: Context,
  client: CentralClient,
  state: SyncStateRepo,
  onProgress: ProgressListener = () => {},
) {
  const s = ctx.sqlite;
  const unsent = s.prepare(`select seq, id, op, payload from outbox where sent_at is null order by seq`);
  const maxSent = s.prepare(`select coalesce(max(seq), 0) as n from outbox where sent_at is not null`);
  const markSent = s.prepare(`update outbox set sent_at = ?, result = ? where id = ? and sent_at is null`);
  const park = s.prepare(`update outbox set seq = -seq where id = ?`);
  const place = s.prepare(`update outbox set seq = ? where id = ?`);
  const ensureSequence = s.prepare(
    `insert into sqlite_sequence (name, seq) select 'outbox', 0
     where not exists (select 1 from sqlite_sequence where name = 'outbox')`,
  );
  const raiseSequence = s.prepare(`update sqlite_sequence set seq = max(seq, ?) where name = 'outbox'`);
  const hasScan = s.prepare(`select 1 from scans where id = ?`);
  const userIdByName = s.prepare(`select id from users where username = ?`);

  function addConflicts(row: UnsentRow, results: unknown, at: number): void {
    for (const r of Array.isArray(results) ? (results as Record<string, unknown>[]) : []) {
      if ((r.status === 'conflict' || r.status === 'rejected') && typeof r.conflictId === 'number') {
        state.addConflict(
          {
            centralId: r.conflictId,
            seq: row.seq,
            op: row.op,
            kind: String(r.kind ?? r.status),
            local: r.local,
            central: r.central,
          },
          at,
        );
      }
    }
  }

  return {
    async recover(): Promise<RecoverResult> {
      const rows = unsent.all() as UnsentRow[];
      const claim = {
        maxSentSeq: (maxSent.get() as { n: number }).n,
        unsent: rows.map((r) => ({ id: r.id, scanId: scanIdOf(r.payload) })),
      };
      const reply = await client.recover(JSON.stringify(claim));
      const base = Number(reply.lastAppliedSeq);
      const incarnation = Number(reply.incarnation);
      const applied = new Map(
        ((reply.applied ?? []) as { id: string; results: unknown }[]).map((a) => [a.id, a.results]),
      );
      const at = ctx.clock.now();
      let next = base;
      ctx.transaction(() => {
        // Parked below zero first: the new seqs may be ones these rows hold now.
        for (const row of rows) park.run(row.id);
        for (const row of rows) {
          if (applied.has(row.id)) {
            markSent.run(at, JSON.stringify({ seq: row.seq, status: 'applied', recovered: true }), row.id);
            addConflicts(row, applied.get(row.id), at);
            // Its old seq is free again unless it is above the centre's (a later seq goes to a renumbered row).
            if (row.seq <= base) place.run(row.seq, row.id);
          } else {
            place.run(++next, row.id);
          }
        }
        ensureSequence.run();
        raiseSequence.run(next);
        state.resetCursor(at);
        state.setRecovery('scans', incarnation);
      });
      return { incarnation, base, alreadyApplied: applied.size, renumbered: next - base };
    },

    /** Takes back this station's own scans from the centre; returns how many were missing here. */
    async restoreScans(): Promise<number> {
      const incarnation = state.incarnation();
      let after: { seq: number; id: string | null } = { seq: 0, id: null };
      let added = 0;
      let read = 0;
      onProgress({ step: 'loading', entity: 'scans', done: 0, total: null });
      for (;;) {
        const page = (await client.ownScans(incarnation, after.seq, after.id, SCAN_PAGE)).map(parseOwnScan);
        ctx.transaction(() => {
          for (const scan of page) {
            if (hasScan.get(scan.id)) continue;
            const user = scan.username
              ? (userIdByName.get(scan.username) as { id: string } | undefined)
              : undefined;
            ctx.journal.scan({ ...scan, userId: user?.id ?? scan.username });
            added++;
          }
          if (page.length < SCAN_PAGE) state.setRecovery(null);
        });
        read += page.length;
        onProgress({ step: 'loading', entity: 'scans', done: read, total: null });
        const last = page.at(-1);
        if (!last || page.length < SCAN_PAGE) return added;
        after = { seq: last.seq, id: last.id };
      }
    },

    /** After a join under a new enrolment: the centre starts from this station's first unsent seq. */
    async rebase(): Promise<void> {
      const first = unsent.get() as UnsentRow | undefined;
      const base = first ? first.seq - 1 : (maxSent.get() as { n: number }).n;
      await client.rebase(state.incarnation(), base);
      ctx.transaction(() => state.setRecovery(null));
    },
  };
}

export type Recovery = ReturnType<typeof createRecovery>;

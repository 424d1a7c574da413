import { formatError } from '../../src-shared/errors.ts';
import type { Sqlite } from '../store/open.ts';
import type { ConflictRow } from '../../src-shared/sync-status.ts';
import { parseHorizonWait, type HorizonWait } from './protocol.ts';

export type RecoveryStep = 'restored' | 'scans' | 'joined';

export interface SyncRecord {
  cursorXid: string;
  cursorId: number;
  lastPushAt: number | null;
  lastPullAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/**
 * The sync worker's own bookkeeping in the station database: the pull cursor (written in the same
 * transaction as the page it ends) and the conflicts the centre reported. The tables (sync_state with its one
 * row, sync_conflicts) come from drizzle/local/0002_sync_tables.sql, applied by openStore.
 */
export function createSyncStateRepo(sqlite: Sqlite) {
  const read = sqlite.prepare(
    `select cursor_xid as cursorXid, cursor_id as cursorId, last_push_at as lastPushAt, last_pull_at as lastPullAt,
       last_success_at as lastSuccessAt, last_error as lastError, last_error_at as lastErrorAt
     from sync_state where singleton = 1`,
  );
  const setCursor = sqlite.prepare(
    `update sync_state set cursor_xid = ?, cursor_id = ?, last_pull_at = ? where singleton = 1`,
  );
  const success = sqlite.prepare(
    `update sync_state set last_success_at = ?, last_error = null, last_error_at = null where singleton = 1`,
  );
  const failure = sqlite.prepare(
    `update sync_state set last_error = ?, last_error_at = ? where singleton = 1`,
  );
  const pushed = sqlite.prepare(`update sync_state set last_push_at = ? where singleton = 1`);
  const horizon = sqlite.prepare(`select horizon_wait as w from sync_state where singleton = 1`);
  const setHorizon = sqlite.prepare(`update sync_state set horizon_wait = ? where singleton = 1`);
  const identity = sqlite.prepare(
    `select incarnation, diverged, recovery from sync_state where singleton = 1`,
  );
  const setDiverged = sqlite.prepare(
    `update sync_state set diverged = ?, last_error = ?, last_error_at = ? where singleton = 1`,
  );
  const setIdentity = sqlite.prepare(
    `update sync_state set incarnation = coalesce(?, incarnation), recovery = ?, diverged = null where singleton = 1`,
  );
  const insertConflict = sqlite.prepare(
    `insert into sync_conflicts (central_id, seq, op, kind, local, central, created_at) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (central_id) do nothing`,
  );
  const conflictColumns = `id, central_id as centralId, seq, op, kind, local, central, created_at as createdAt,
    resolved_at as resolvedAt, resolved_by as resolvedBy, resolution`;
  const listOpen = sqlite.prepare(
    `select ${conflictColumns} from sync_conflicts where resolved_at is null order by id`,
  );
  const listAll = sqlite.prepare(`select ${conflictColumns} from sync_conflicts order by id desc limit ?`);
  const byId = sqlite.prepare(`select ${conflictColumns} from sync_conflicts where id = ?`);
  const openCount = sqlite.prepare(`select count(*) as n from sync_conflicts where resolved_at is null`);
  const resolve = sqlite.prepare(
    `update sync_conflicts set resolved_at = ?, resolved_by = ?, resolution = ? where id = ? and resolved_at is null`,
  );
  const parse = (r: Record<string, unknown>): ConflictRow =>
    ({
      ...r,
      local: JSON.parse(String(r.local)),
      central: r.central == null ? null : JSON.parse(String(r.central)),
    }) as ConflictRow;

  return {
    read: () => read.get() as SyncRecord,
    setCursor(xid: string, id: number, at: number) {
      setCursor.run(xid, id, at);
    },
    resetCursor(at: number) {
      setCursor.run('0', 0, at);
    },
    /** This copy's incarnation at the centre (1 until a recovery gives it another). */
    incarnation: () => (identity.get() as { incarnation: number }).incarnation,
    /** The divergence the centre reported (JSON), while it stands: the station sends nothing until a recovery. */
    diverged: () => (identity.get() as { diverged: string | null }).diverged,
    /** 'restored' (recover at the next sync), 'scans' (take back own scans), 'joined' (rebase), or null. */
    recovery: () => (identity.get() as { recovery: RecoveryStep | null }).recovery,
    setDiverged(detail: string, at: number) {
      setDiverged.run(detail, formatError('sync_diverged'), at);
    },
    /** The next recovery step, clearing any divergence; a new incarnation when given. */
    setRecovery(step: RecoveryStep | null, incarnation?: number) {
      setIdentity.run(incarnation ?? null, step);
    },
    success: (at: number) => success.run(at),
    failure: (message: string, at: number) => failure.run(message, at),
    pushed: (at: number) => pushed.run(at),
    /** What the centre said at the last pull: a long transaction there holds this station's changes back. */
    horizonWait(): HorizonWait {
      const { w } = horizon.get() as { w: string | null };
      return w === null ? null : parseHorizonWait(JSON.parse(w));
    },
    setHorizonWait(wait: HorizonWait) {
      setHorizon.run(wait === null ? null : JSON.stringify(wait));
    },
    addConflict(
      c: { centralId: number; seq: number; op: string; kind: string; local: unknown; central: unknown },
      at: number,
    ) {
      insertConflict.run(
        c.centralId,
        c.seq,
        c.op,
        c.kind,
        JSON.stringify(c.local ?? null),
        c.central == null ? null : JSON.stringify(c.central),
        at,
      );
    },
    openConflicts: () => (listOpen.all() as Record<string, unknown>[]).map(parse),
    recentConflicts: (limit: number) => (listAll.all(limit) as Record<string, unknown>[]).map(parse),
    conflict(id: number): ConflictRow | undefined {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? parse(r) : undefined;
    },
    openConflictCount: () => (openCount.get() as { n: number }).n,
    resolveConflict: (id: number, at: number, by: string, resolution: string) =>
      resolve.run(at, by, resolution, id).changes === 1,
  };
}

export type SyncStateRepo = ReturnType<typeof createSyncStateRepo>;

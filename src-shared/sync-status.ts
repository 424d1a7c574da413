/**
 * What the station says about its link to the centre (onSyncState, sync.status, status.get, the header chip and
 * `baglink status`), and the conflicts the centre reported: read by the screens and written by src-main/sync.
 */
/**
 * How far a long sync step is, for the screens' header and settings and for a terminal: a new station's first
 * load (total: the centre's estimate of its rows), a large catch-up (changes pulled so far), the outbox push.
 */
export interface SyncProgress {
  step: 'loading' | 'pulling' | 'pushing';
  /** What is being moved: bags, links, bills, bill_bags, users; or changes (pull), scans (push). */
  entity: string;
  done: number;
  total: number | null;
}

export type SyncPhase = 'not_enrolled' | 'starting' | 'idle' | 'syncing' | 'retrying' | 'stopped';

/** What `onSyncState`, status.get and `baglink status` show about the link to the centre. No secrets. */
export interface SyncState {
  state: SyncPhase;
  central: string | null;
  centralStationId: string | null;
  outbox: { depth: number; oldestUnsentAt: number | null; oldestUnsentAgeMs: number | null };
  lastSuccessAt: number | null;
  lastPushAt: number | null;
  lastPullAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  nextAttemptAt: number | null;
  conflicts: number;
  /**
   * The centre's pull horizon is held back by a long transaction there (migration 0006): changes newer than it
   * wait at the centre. `seconds`: how long that transaction has run, at the last pull. Null otherwise.
   */
  waitingForCentre: { seconds: number; xids: number } | null;
  /** A long step under way (a first load, a large catch-up) and how far it is; null otherwise. */
  progress: SyncProgress | null;
}

export interface ConflictRow {
  id: number;
  centralId: number;
  seq: number;
  op: string;
  kind: string;
  local: unknown;
  central: unknown;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: string | null;
}

/** A conflict as conflicts.list shows it: with the display names it mentions, and whether the centre's state is applied here. */
export type ConflictView = ConflictRow & { names: Record<string, string>; centralApplied: boolean };

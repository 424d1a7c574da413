import type { SyncProgress } from './progress.ts';
import { redactUrl } from '../central/enrol.ts';
import type { SyncConfig } from './config.ts';
import type { SyncStateRepo } from './local-state.ts';
import type { createCounterRepo } from '../store/counter-repo.ts';

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

/** Reads the sync state from the station database: works in any process, with or without a worker. */
export function readSyncState(
  config: SyncConfig | null,
  repo: SyncStateRepo,
  counters: ReturnType<typeof createCounterRepo>,
  now: number,
  live: { state: SyncPhase; nextAttemptAt: number | null; progress?: SyncProgress | null } | null,
): SyncState {
  const r = repo.read();
  const outbox = counters.outbox();
  return {
    state: config ? (live?.state ?? 'stopped') : 'not_enrolled',
    central: config ? redactUrl(config.url) : null,
    centralStationId: config?.stationId ?? null,
    outbox: {
      depth: outbox.depth,
      oldestUnsentAt: outbox.oldest,
      oldestUnsentAgeMs: outbox.oldest === null ? null : Math.max(0, now - outbox.oldest),
    },
    lastSuccessAt: r.lastSuccessAt,
    lastPushAt: r.lastPushAt,
    lastPullAt: r.lastPullAt,
    lastError: r.lastError,
    lastErrorAt: r.lastErrorAt,
    nextAttemptAt: live?.nextAttemptAt ?? null,
    conflicts: repo.openConflictCount(),
    waitingForCentre: config ? repo.horizonWait() : null,
    progress: live?.progress ?? null,
  };
}

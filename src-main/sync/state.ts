import type { SyncPhase, SyncProgress, SyncState } from '../../src-shared/sync-status.ts';
import { redactUrl } from '../central/enrol.ts';
import { formatError } from '../../src-shared/errors.ts';
import type { SyncConfig } from './config.ts';
import type { SyncStateRepo } from './local-state.ts';
import type { createCounterRepo } from '../store/counter-repo.ts';

/** Reads the sync state from the station database: works in any process, with or without a worker. */
export function readSyncState(
  config: SyncConfig | null,
  repo: SyncStateRepo,
  counters: ReturnType<typeof createCounterRepo>,
  now: number,
  live: { state: SyncPhase; nextAttemptAt: number | null; progress?: SyncProgress | null } | null,
  /** central.json is there but is not an enrolment: not joined, and the last error says to join again. */
  damaged = false,
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
    lastError: damaged ? formatError('enrolment_damaged') : r.lastError,
    lastErrorAt: damaged ? null : r.lastErrorAt,
    nextAttemptAt: live?.nextAttemptAt ?? null,
    conflicts: repo.openConflictCount(),
    waitingForCentre: config ? repo.horizonWait() : null,
    progress: live?.progress ?? null,
  };
}

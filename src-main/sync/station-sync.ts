import { cachedEnrolment } from './enrolment-cache.ts';
import type { SyncPhase, SyncProgress, SyncState } from '../../src-shared/sync-status.ts';
import { createConflictService } from './conflicts.ts';
import { createSyncStateRepo } from './local-state.ts';
import { readSyncState } from './state.ts';
import { startSyncWorker, type SyncWorker } from './supervisor.ts';
import type { WorkerOptions } from './worker.ts';
import type { Context } from '../store/context.ts';
import type { LinkService } from '../core/link-service.ts';
import type { SyncPort } from '../core/station-status.ts';

export type SyncWorkerSettings = Partial<Omit<WorkerOptions, 'dataDir'>>;

/**
 * The station's view of sync: its state for status and screens, the conflicts service, and the worker
 * (started only when the station has joined a centre and the process asks for it, e.g. `baglink serve`).
 */
export function createStationSync(
  ctx: Context,
  dataDir: string,
  links: LinkService,
  onState: (state: SyncState) => void,
  onPulled: () => void = () => undefined,
) {
  const repo = createSyncStateRepo(ctx.sqlite);
  const counters = ctx.counters;
  let worker: SyncWorker | null = null;
  let live: { state: SyncPhase; nextAttemptAt: number | null; progress: SyncProgress | null } | null = null;
  const enrolment = cachedEnrolment(dataDir);

  const status = (): SyncState => readSyncState(enrolment(), repo, counters, ctx.clock.now(), live);
  const port: SyncPort = { status, joined: () => enrolment() !== null, kick: () => worker?.kick() };

  return {
    ...port,
    /** The enrolment as on disk now (null: not joined), from memory while its file is unchanged. */
    enrolment,
    conflicts: createConflictService(ctx, repo, links),
    /** Starts the worker if this station has joined a centre; returns whether it did. */
    start(settings: SyncWorkerSettings = {}): boolean {
      if (worker || !enrolment()) return false;
      live = { state: 'starting', nextAttemptAt: null, progress: null };
      worker = startSyncWorker(
        { ...settings, dataDir },
        (state) => {
          const s = state as Partial<SyncState>;
          live = {
            state: s.state ?? 'stopped',
            nextAttemptAt: s.nextAttemptAt ?? null,
            progress: s.progress ?? null,
          };
          // The worker may have taken the centre's dispatch area or capacity (IT sets them there).
          ctx.reloadStation();
          onState(status());
        },
        (message) => {
          live = { state: 'stopped', nextAttemptAt: null, progress: null };
          ctx.transaction(() => repo.failure(message, ctx.clock.now()));
          onState(status());
        },
        // A pull that applied changes from the centre: links may have changed under the open screens.
        onPulled,
      );
      return true;
    },
    async stop(): Promise<void> {
      const w = worker;
      worker = null;
      live = null;
      if (w) await w.stop();
    },
  };
}

import { cachedEnrolment } from './enrolment-cache.ts';
import type { EnrolmentFile } from './config.ts';
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

/** How often a station that runs its sync looks at central.json for a join, a new enrolment or its removal. */
const FOLLOW_MS = 1_000;

/** Which enrolment a worker runs for: a new station or centre restarts it; a rotated secret does not. */
function enrolmentKey(file: EnrolmentFile): string | null {
  if (file.kind !== 'joined') return null;
  const url = new URL(file.config.url);
  url.password = ''; // the desktop moves the password into its keyring: the same enrolment
  return `${file.config.stationId} ${url.toString()}`;
}

/**
 * The station's view of sync: its state for status and screens, the conflicts service, and the worker
 * (run only when the process asks for it, e.g. `baglink serve`, and while the station has joined a centre).
 * `join`, `recover` and `restore` change central.json from other processes while the station serves: once
 * asked to run, the station follows the file, starting the worker when an enrolment appears, restarting it for
 * another one, and stopping it when the file is removed or damaged.
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
  /** The settings the process asked to run with (null: not asked), and the enrolment the worker runs for. */
  let wanted: SyncWorkerSettings | null = null;
  let runningFor: string | null = null;
  let switching: Promise<void> | null = null;
  let watch: NodeJS.Timeout | null = null;
  /** The enrolment the process asked to run for (a connection string in its settings belongs to it). */
  let startedFor: string | null = null;
  const file = cachedEnrolment(dataDir, () => queueMicrotask(follow));
  const enrolment = () => {
    const f = file();
    return f.kind === 'joined' ? f.config : null;
  };

  const status = (): SyncState => {
    const f = file();
    return readSyncState(enrolment(), repo, counters, ctx.clock.now(), live, f.kind === 'damaged');
  };
  const port: SyncPort = { status, joined: () => enrolment() !== null, kick: () => worker?.kick() };

  function launch(settings: SyncWorkerSettings, key: string): void {
    live = { state: 'starting', nextAttemptAt: null, progress: null };
    runningFor = key;
    const w = startSyncWorker(
      { ...settings, dataDir },
      (state) => {
        if (worker !== w) return; // a worker being replaced speaks no more for the station
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
        if (worker !== w) return;
        live = { state: 'stopped', nextAttemptAt: null, progress: null };
        ctx.transaction(() => repo.failure(message, ctx.clock.now()));
        onState(status());
      },
      // A pull that applied changes from the centre: links may have changed under the open screens.
      onPulled,
    );
    worker = w;
  }

  async function halt(): Promise<void> {
    const w = worker;
    worker = null;
    live = null;
    runningFor = null;
    if (w) await w.stop();
  }

  /** Brings the worker in line with central.json, one change at a time. */
  function follow(): void {
    if (!wanted || switching) return;
    const f = file();
    const key = enrolmentKey(f);
    if (key === runningFor) return;
    switching = (async () => {
      await halt();
      const settings = wanted;
      if (settings && key !== null && enrolmentKey(file()) === key) {
        // A connection string handed in (the desktop's keyring) belongs to the enrolment it came with.
        const { connectionString: _given, ...fromFile } = settings;
        launch(key === startedFor ? settings : fromFile, key);
      }
      ctx.reloadStation(); // join may have set this station's dispatch area
      onState(status());
    })().finally(() => {
      switching = null;
      follow();
    });
  }

  return {
    ...port,
    /** The enrolment as on disk now (null: not joined or damaged), from memory while its file is unchanged. */
    enrolment,
    conflicts: createConflictService(ctx, repo, links),
    /**
     * Runs the worker while this station has joined a centre, from now and as central.json changes; returns
     * whether it started one now.
     */
    start(settings: SyncWorkerSettings = {}): boolean {
      if (wanted) return false;
      wanted = settings;
      watch = setInterval(() => file(), FOLLOW_MS);
      watch.unref();
      const key = enrolmentKey(file());
      startedFor = key;
      if (key === null) return false;
      launch(settings, key);
      return true;
    },
    async stop(): Promise<void> {
      wanted = null;
      if (watch) clearInterval(watch);
      watch = null;
      await switching;
      await halt();
    },
  };
}

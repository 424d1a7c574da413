import type { Station } from '../app/station.ts';
import type { SyncWorkerSettings } from '../sync/station-sync.ts';
import type { Supervised } from './supervisor.ts';

export type SyncRunStation = {
  sync: Pick<Station['sync'], 'start' | 'stop'>;
  subscribe: Station['subscribe'];
};

/**
 * One run of the station's sync worker (sync/station-sync.ts) as the supervisor sees it: it has ended when
 * the station reports sync `stopped` without being asked to (the worker thread died); the supervisor then
 * starts a new run after its backoff. A station that has not joined a centre has no worker yet: the station
 * starts one when `baglink join` writes its enrolment, and that one is watched the same way.
 */
export function startSyncRun(
  station: SyncRunStation,
  log: (line: string) => void,
  settings: SyncWorkerSettings = {},
): Supervised {
  if (!station.sync.start(settings)) {
    log('sync: this station has not joined a centre; sync starts when `baglink join` writes its enrolment');
  }
  let stopping = false;
  let finish: (end: { code: number | null; reason?: string }) => void = () => {};
  const ended = new Promise<{ code: number | null; reason?: string }>((resolve) => (finish = resolve));
  const unsubscribe = station.subscribe((name, payload) => {
    if (name !== 'onSyncState' || stopping) return;
    const state = payload as { state?: string; lastError?: string | null };
    if (state.state !== 'stopped') return;
    unsubscribe();
    void station.sync
      .stop()
      .then(() => finish({ code: null, reason: state.lastError ?? 'the sync worker stopped' }));
  });
  return {
    ended,
    async stop() {
      stopping = true;
      unsubscribe();
      await station.sync.stop();
    },
  };
}

/**
 * The worker's settings in the desktop app: the same interval `baglink serve` uses (BAGLINK_SYNC_INTERVAL_MS,
 * default 5 s), and the connection string decrypted from the credential vault when there is one.
 */
export function desktopSyncSettings(
  env: NodeJS.ProcessEnv,
  connectionString: string | undefined,
): SyncWorkerSettings {
  return {
    intervalMs: Number(env.BAGLINK_SYNC_INTERVAL_MS ?? 5_000),
    ...(connectionString ? { connectionString } : {}),
  };
}

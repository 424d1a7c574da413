import { createCentralApplier } from './apply.ts';
import { createCentralClient, SyncError } from './central-client.ts';
import { adoptCentreSettings } from './centre-settings.ts';
import { claimPooledLogin, firstCallAfterClaim } from './claim.ts';
import { keepOnlyCentreUsers } from './forget-users.ts';
import { loadSyncConfig, type PgTimeouts } from './config.ts';
import { cachedEnrolment } from './enrolment-cache.ts';
import { createSyncStateRepo } from './local-state.ts';
import { createPuller } from './pull.ts';
import { createPusher, type BatchLimits } from './push.ts';
import type { ProgressListener } from './progress.ts';
import type { SyncPhase, SyncProgress, SyncState } from '../../src-shared/sync-status.ts';
import { createRecovery, type RecoverResult } from './recover.ts';
import { snapshotPageRows } from './snapshot.ts';
import { readSyncState } from './state.ts';
import { systemClock, type Clock } from '../../src-shared/clock.ts';
import { createContext } from '../store/context.ts';
import { formatError, StationError } from '../../src-shared/errors.ts';
import { createCounterRepo } from '../store/counter-repo.ts';
import { openStore } from '../store/open.ts';

export interface SyncEngineOptions {
  dataDir: string;
  clock?: Clock;
  timeouts?: PgTimeouts;
  limits?: BatchLimits;
  pageSize?: number;
  /** Rows per snapshot page (a first load or a resync); BAGLINK_SNAPSHOT_PAGE_ROWS or the largest by default. */
  snapshotPageRows?: number;
  /** Overrides the URL in central.json, e.g. with the password the desktop app decrypted. */
  connectionString?: string;
  /** Told how far a first load or a large catch-up is. */
  onProgress?: ProgressListener;
}

export interface CycleResult {
  pushed: number;
  pulled: number;
}

/**
 * One sync cycle on its own SQLite connection: upload the whole outbox first, then download the centre's
 * changes (so the station's own changes are at the centre before it reads the centre's answer to them).
 */
export function createSyncEngine(options: SyncEngineOptions) {
  const enrolled = loadSyncConfig(options.dataDir);
  if (!enrolled) throw new StationError('not_enrolled');
  let config = options.connectionString ? { ...enrolled, url: options.connectionString } : enrolled;
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir);
  const ctx = createContext(store, clock);
  // central.json as on disk, reread only when the file changed (one stat a cycle, not a read and a parse).
  const onDisk = cachedEnrolment(options.dataDir);
  const repo = createSyncStateRepo(store.sqlite);
  const counters = createCounterRepo(store.sqlite);
  const client = createCentralClient(config, options.timeouts);
  const applier = createCentralApplier(ctx);
  const pusher = createPusher(ctx, client, repo, applier, options.limits);
  let progress: SyncProgress | null = null;
  const onProgress = (p: SyncProgress) => {
    progress = p;
    options.onProgress?.(p);
  };
  const puller = createPuller(
    ctx,
    client,
    repo,
    applier,
    options.pageSize,
    options.snapshotPageRows ?? snapshotPageRows(),
    onProgress,
  );
  const recovery = createRecovery(ctx, client, repo, onProgress);
  const lastGiven = store.sqlite.prepare(
    `select coalesce((select seq from sqlite_sequence where name = 'outbox'), 0) as seq`,
  );
  const opAt = store.sqlite.prepare(`select id from outbox where seq = ?`);

  /**
   * Before anything moves: a recovery step left to run ('restored' by "baglink restore", 'joined' by a join under
   * a new enrolment); a divergence the centre reported stops here (the station sends nothing until IT recovers
   * it); then hello, where the centre compares this station's last seq and its op with its own, and hands over
   * the area and capacity IT set.
   */
  async function prepare(): Promise<void> {
    const step = repo.recovery();
    if (step === 'restored') await recovery.recover();
    if (step === 'joined') await recovery.rebase();
    if (repo.diverged()) throw new SyncError('diverged', formatError('sync_diverged'));
    const { seq } = lastGiven.get() as { seq: number };
    const op = opAt.get(seq) as { id: string } | undefined;
    const outbox = counters.outbox();
    const hello = await client.hello(repo.incarnation(), seq, op?.id ?? null, {
      depth: outbox.depth,
      oldestUnsentSeconds:
        outbox.oldest === null ? null : Math.max(0, Math.floor((clock.now() - outbox.oldest) / 1000)),
    });
    adoptCentreSettings(ctx, hello);
    if (hello.diverged) {
      ctx.transaction(() => repo.setDiverged(JSON.stringify(hello.diverged), clock.now()));
      throw new SyncError('diverged', formatError('sync_diverged'));
    }
  }

  return {
    get config() {
      return config;
    },
    async cycle(): Promise<CycleResult> {
      progress = null;
      try {
        ctx.reloadStation();
        // A secret IT rotated and "baglink join --secret-stdin" stored is used from the next cycle on.
        const file = onDisk();
        const secret = file.kind === 'joined' ? file.config.secret : null;
        if (secret && secret !== config.secret) {
          config = { ...config, secret };
          await client.adopt(config);
        }
        const upgrading = !config.secret;
        if (upgrading) {
          const old = config;
          config = await claimPooledLogin(options.dataDir, config, client);
          await firstCallAfterClaim(options.dataDir, old, client, prepare).catch((e: unknown) => {
            if (!loadSyncConfig(options.dataDir)?.secret) config = old;
            throw e;
          });
        } else await prepare();
        const pushed = await pusher.pushAll();
        if (upgrading) await keepOnlyCentreUsers(ctx, client, applier);
        const pulled = await puller.pullAll();
        if (repo.recovery() === 'scans') await recovery.restoreScans();
        ctx.transaction(() => repo.success(clock.now()));
        return { pushed, pulled };
      } catch (e) {
        const message =
          e instanceof SyncError ? e.message : `Sync failed: ${client.clean((e as Error).message)}.`;
        try {
          ctx.transaction(() => repo.failure(message, clock.now()));
        } catch {
          // The database is busy or closing: the next cycle records it.
        }
        throw e instanceof SyncError ? e : new SyncError('server', message);
      } finally {
        progress = null;
      }
    },
    /**
     * IT's recovery ("baglink recover"): a new incarnation at the centre, the unsent operations renumbered after
     * the centre's, then one cycle that pushes them, loads the centre's rows again and takes back own scans.
     */
    async recover(): Promise<RecoverResult & CycleResult> {
      const result = await recovery.recover();
      return { ...result, ...(await this.cycle()) };
    },
    state(live: { state: SyncPhase; nextAttemptAt: number | null } | null): SyncState {
      return readSyncState(config, repo, counters, clock.now(), live && { ...live, progress });
    },
    /** Ends the pool's connections (the next cycle opens them again). */
    idle: () => client.close(),
    async close(): Promise<void> {
      await client.close();
      store.close();
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;

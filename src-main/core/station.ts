import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from './clock.ts';
import { createContext } from './context.ts';
import { createBillService } from './bill-service.ts';
import { createBillReads, type BillRead } from './bill-reads.ts';
import { createLinkService } from './link-service.ts';
import { createLookupService } from './lookup-service.ts';
import { createScanService, type ScanInput } from './scan-service.ts';
import { createSettingsService } from './settings-service.ts';
import { createStatsService } from './stats-service.ts';
import { createAuditService } from './audit-service.ts';
import { createSetupService } from './setup-service.ts';
import type { Operator, ScanResult } from './types.ts';
import { StationError } from './errors.ts';
import { requireRole } from '../auth/roles.ts';
import { createSessionService, type SessionInfo } from '../auth/session.ts';
import { createUserService } from '../auth/users.ts';
import { createGroupCommit } from '../store/group-commit.ts';
import { diskError } from '../store/disk-errors.ts';
import { openStore } from '../store/open.ts';
import { createExportService } from '../export/export-service.ts';
import { createStationSync, type SyncWorkerSettings } from '../sync/station-sync.ts';
import type { SyncPhase } from '../sync/state.ts';
import type { SyncProgress } from '../sync/progress.ts';
import { loadSyncConfig } from '../sync/config.ts';

export interface StationOptions {
  dataDir: string;
  clock?: Clock;
  /** Create the station if the folder has none: only for the commands that set a station up. */
  create?: boolean;
  /** Run the sync worker when the station has joined a centre (`baglink serve` does; tests and CLI don't). */
  sync?: SyncWorkerSettings | boolean;
}

/** Everything a station pushes to its screens. Names match the contract's events. */
export interface StationEvents {
  onScanResult: ScanResult;
  onSession: SessionInfo | null;
  onScannerState: unknown;
  onSyncState: unknown;
  onLinksChanged: LinksChanged;
  onBillRead: BillRead;
}

/**
 * Links changed other than by a scan (which onScanResult tells): a child taken out or moved (undo, remove, move,
 * a conflict resolved), the active parent closed, or a sync pull that brought changes. Screens read again.
 */
export interface LinksChanged {
  cause: 'unlink' | 'closeParent' | 'pull';
}

export type StationEventName = keyof StationEvents;

export const APP_VERSION = '0.1.0';

/** What the login and first-run screens may read before anyone logs in. */
export interface PreLoginView {
  name: string;
  version: string;
  hasUsers: boolean;
  scanners: { count: number; ready: number };
  /** progress: how far a long sync step is (a page opened during a first load shows it at once). */
  sync: {
    state: SyncPhase;
    outboxDepth: number;
    progress: SyncProgress | null;
    waitingSeconds: number | null;
  };
}

/** The serial scanners of a station as the API sees them; attached by the process that owns the ports. */
export interface ScannerControl {
  list(): unknown[];
  configure(configs: { path: string }[]): Promise<unknown[]>;
  testRead(scannerId: string, timeoutMs: number): Promise<unknown>;
}

/** Builds a whole station from a data folder and a clock: no Electron, no network, no globals. */
export function createStation(options: StationOptions) {
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir, { create: options.create ?? false });
  const ctx = createContext(store, clock);
  const emitter = new EventEmitter();
  const emit = <K extends StationEventName>(name: K, payload: StationEvents[K]) =>
    emitter.emit('event', name, payload);

  const scans = createScanService(ctx);
  const bills = createBillService(ctx);
  const billReads = createBillReads(ctx, bills.scanParent, (read) => emit('onBillRead', read));
  const session = createSessionService(
    ctx,
    (info) => {
      billReads.release();
      emit('onSession', info);
    },
    (user, pin) => users.changeOwnPin(user, pin),
  );
  const joined = () => loadSyncConfig(options.dataDir) !== null;
  const users = createUserService(ctx, (userId) => session.refresh(userId), joined);
  const counters = ctx.counters;
  const scanCommits = createGroupCommit(store.sqlite, {
    committed: () => scans.readsCommitted(),
    rolledBack: () => scans.readsRolledBack(),
  });
  let scannerControl: ScannerControl | null = null;
  const links = createLinkService(ctx, joined, (child) => {
    scans.forgetRead(child);
    emit('onLinksChanged', { cause: 'unlink' });
  });

  /**
   * A read the full disk refused is still recorded, as a rejected scan, where the database can take that
   * small write (free pages, a reused write-ahead log); else the caller gets the disk-full error itself.
   */
  function recordRefusedRead(input: ScanInput, full: StationError): ScanResult {
    let recorded: ScanResult;
    try {
      recorded = scans.submit({ ...input, rejectedReason: 'disk_full' });
    } catch {
      throw full;
    }
    return { ...recorded, message: full.message, reasonParams: full.params };
  }
  const login = async (...args: Parameters<typeof session.login>): Promise<SessionInfo> => {
    const info = await session.login(...args);
    scans.handOver(info.operator.id);
    return info;
  };
  const sync = createStationSync(
    ctx,
    options.dataDir,
    links,
    (state) => emit('onSyncState', state),
    () => emit('onLinksChanged', { cause: 'pull' }),
  );
  if (options.sync) sync.start(options.sync === true ? {} : options.sync);

  function status() {
    const outbox = counters.outbox();
    const s = ctx.station;
    return {
      version: APP_VERSION,
      stationId: s.stationId,
      name: s.name,
      dispatchArea: s.dispatchArea,
      dataDir: options.dataDir,
      users: ctx.users.count(),
      operator: session.operator(false)?.username ?? null,
      outbox: { depth: outbox.depth, oldestUnsentAt: outbox.oldest },
      sync: sync.status(),
      warnings: ctx.warnings(),
    };
  }

  return {
    dataDir: options.dataDir,
    ctx,
    /** Sentences to show whoever starts the station (a data folder other users can read). */
    warnings: store.warnings,
    /** The typed error for a database failure (disk full, damaged file), or null. */
    storeError: store.storeError,
    /** Set once a corruption error was confirmed: nothing more is read from or written to the file. */
    damage: store.damage,
    session,
    users,
    links,
    sync,
    bills,
    billReads,
    lookup: createLookupService(ctx),
    stats: createStatsService(ctx),
    settings: createSettingsService(ctx, {
      area: () => loadSyncConfig(options.dataDir)?.dispatchArea ?? null,
    }),
    exports: createExportService(ctx),
    audit: createAuditService(ctx),

    login,
    setup: createSetupService(options.dataDir, users, login),

    /**
     * Every read from every input: keyboard, serial scanner, API. Resolves, and emits onScanResult, only after
     * the scan's transaction has committed; reads that arrive together share one commit.
     */
    async submitScan(input: Omit<ScanInput, 'operator'>): Promise<ScanResult> {
      const operator = session.operator();
      let result: ScanResult;
      try {
        result = await scanCommits.run(() => scans.submit({ ...input, operator }));
      } catch (e) {
        const full = diskError(e, options.dataDir);
        if (!full) throw e;
        result = recordRefusedRead({ ...input, operator }, full);
      }
      emit('onScanResult', result);
      sync.kick();
      return result;
    },

    /** Admin: push and pull now instead of at the worker's next turn (a joined station only). */
    syncNow(actor: Operator | null) {
      requireRole(actor, 'admin');
      if (!joined()) throw new StationError('not_enrolled');
      sync.kick();
      return sync.status();
    },

    activeParent: () => scans.activeParent(),
    /** How many inputs the double-read memory holds: bounded, whatever the number of inputs. */
    readMemorySize: () => scans.readMemorySize(),
    activeChildren: () => scans.activeChildren(),
    closeParent(actor: Operator | null) {
      const closed = scans.closeParent(actor);
      if (closed.closed) emit('onLinksChanged', { cause: 'closeParent' });
      return closed;
    },

    attachScanners(control: ScannerControl | null): void {
      scannerControl = control;
    },

    /** The scanners, for anyone logged in to see; changing and testing them is an admin's. */
    scanners: {
      list(actor: Operator | null): unknown[] {
        requireRole(actor, 'dock');
        return scannerControl?.list() ?? [];
      },
      configure(actor: Operator | null, configs: { path: string }[]): Promise<unknown[]> {
        requireRole(actor, 'admin');
        if (!scannerControl) throw new StationError('scanners_unavailable');
        return scannerControl.configure(configs);
      },
      testRead(actor: Operator | null, scannerId: string, timeoutMs: number): Promise<unknown> {
        requireRole(actor, 'admin');
        if (!scannerControl) throw new StationError('scanners_unavailable');
        return scannerControl.testRead(scannerId, timeoutMs);
      },
    },
    recentScans: (limit: number) => ctx.history.recent(limit),
    recentScansOf: (operator: Operator | null, limit: number) =>
      operator ? ctx.history.recentOf(operator.id, limit) : [],

    /** The scan screen's state: the active parent and the latest reads (anyone logged in). */
    scanState(actor: Operator | null, limit: number, mine = false) {
      const operator = requireRole(actor, 'dock');
      const recent = mine ? ctx.history.recentOf(operator.id, limit) : ctx.history.recent(limit);
      return { activeParent: scans.activeParent(), children: scans.activeChildren(), recent };
    },

    /** status() for the API: anyone logged in (the console's `baglink status` reads status() itself). */
    statusFor(actor: Operator | null) {
      requireRole(actor, 'dock');
      return status();
    },

    syncStatus(actor: Operator | null) {
      requireRole(actor, 'dock');
      return sync.status();
    },

    /**
     * All the station tells before anyone logs in (see preLoginMethods in the contract): whether it has users
     * yet (the first-run screen), and the scanner and sync chips of the login screen. No names, paths or errors.
     */
    preLogin(): PreLoginView {
      const scanners = (scannerControl?.list() ?? []) as { state?: unknown }[];
      const link = sync.status();
      return {
        name: ctx.station.name,
        version: APP_VERSION,
        hasUsers: ctx.users.count() > 0,
        scanners: { count: scanners.length, ready: scanners.filter((p) => p.state === 'ready').length },
        sync: {
          state: link.state,
          outboxDepth: link.outbox.depth,
          progress: link.progress,
          waitingSeconds: link.waitingForCentre?.seconds ?? null,
        },
      };
    },

    status,

    emit,
    subscribe(listener: (event: string, payload: unknown) => void): () => void {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },

    /** Stops the sync worker, letting the call in flight finish; then close(). */
    stopSync: () => sync.stop(),

    close(): void {
      void sync.stop();
      store.close();
    },
  };
}

export type Station = ReturnType<typeof createStation>;

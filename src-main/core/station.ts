import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from './clock.ts';
import { createContext } from './context.ts';
import { createBillService } from './bill-service.ts';
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
import { openStore } from '../store/open.ts';
import { createExportService } from '../export/export-service.ts';
import { createStationSync, type SyncWorkerSettings } from '../sync/station-sync.ts';

export interface StationOptions {
  dataDir: string;
  clock?: Clock;
  /** Run the sync worker when the station has joined a centre (`baglink serve` does; tests and CLI don't). */
  sync?: SyncWorkerSettings | boolean;
}

/** Everything a station pushes to its screens. Names match the contract's events. */
export interface StationEvents {
  onScanResult: ScanResult;
  onSession: SessionInfo | null;
  onScannerState: unknown;
  onSyncState: unknown;
}

export type StationEventName = keyof StationEvents;

export const APP_VERSION = '0.1.0';

/** The serial scanners of a station as the API sees them; attached by the process that owns the ports. */
export interface ScannerControl {
  list(): unknown[];
  configure(configs: { path: string }[]): Promise<unknown[]>;
  testRead(scannerId: string, timeoutMs: number): Promise<unknown>;
}

/** Builds a whole station from a data folder and a clock: no Electron, no network, no globals. */
export function createStation(options: StationOptions) {
  const clock = options.clock ?? systemClock;
  const store = openStore(options.dataDir);
  const ctx = createContext(store, clock);
  const emitter = new EventEmitter();
  const emit = <K extends StationEventName>(name: K, payload: StationEvents[K]) =>
    emitter.emit('event', name, payload);

  const scans = createScanService(ctx);
  const session = createSessionService(ctx, (info) => {
    emit('onSession', info);
  });
  const users = createUserService(ctx, (userId) => session.refresh(userId));
  const counters = ctx.counters;
  const scanCommits = createGroupCommit(store.sqlite);
  let scannerControl: ScannerControl | null = null;
  const links = createLinkService(ctx);
  const login = async (...args: Parameters<typeof session.login>): Promise<SessionInfo> => {
    const info = await session.login(...args);
    scans.handOver(info.operator.id);
    return info;
  };
  const sync = createStationSync(ctx, options.dataDir, links, (state) => emit('onSyncState', state));
  if (options.sync) sync.start(options.sync === true ? {} : options.sync);

  return {
    dataDir: options.dataDir,
    ctx,
    session,
    users,
    links,
    sync,
    bills: createBillService(ctx),
    lookup: createLookupService(ctx),
    stats: createStatsService(ctx),
    settings: createSettingsService(ctx),
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
      const result = await scanCommits.run(() => scans.submit({ ...input, operator }));
      emit('onScanResult', result);
      sync.kick();
      return result;
    },

    activeParent: () => scans.activeParent(),
    activeChildren: () => scans.activeChildren(),
    closeParent: (actor: Operator | null) => scans.closeParent(actor),

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

    status() {
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
      };
    },

    emit,
    subscribe(listener: (event: string, payload: unknown) => void): () => void {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },

    /** Stops the sync worker, letting the call in flight finish; then close(). */
    stopSync: () => sync.stop(),

    close(): void {
      void sync.stop();
      store.sqlite.close();
    },
  };
}

export type Station = ReturnType<typeof createStation>;

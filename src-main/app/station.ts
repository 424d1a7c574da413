/**
 * The composition root: the one place that knows every part of a station. Core services, auth, sync, export and
 * the status answers are built here on one store and context, and the sync is handed to the core as its port.
 */
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../src-shared/clock.ts';
import { createContext } from '../store/context.ts';
import { createBillService } from '../core/bill-service.ts';
import { createBillReads } from '../core/bill-reads.ts';
import { createLinkService } from '../core/link-service.ts';
import { createLookupService } from '../core/lookup-service.ts';
import { createScanService, type ScanInput } from '../core/scan-service.ts';
import { createSettingsService } from '../core/settings-service.ts';
import { createStatsService } from '../core/stats-service.ts';
import { createAuditService } from '../core/audit-service.ts';
import { createSetupService } from '../core/setup-service.ts';
import { createStatusService } from '../core/station-status.ts';
import type { Operator, ScanResult } from '../../src-shared/domain.ts';
import { StationError } from '../../src-shared/errors.ts';
import { requireRole } from '../core/roles.ts';
import { createSessionService } from '../auth/session.ts';
import type { SessionInfo } from '../../src-shared/users.ts';
import { createUserService } from '../auth/users.ts';
import { createGroupCommit } from '../store/group-commit.ts';
import { diskError } from '../store/disk-errors.ts';
import { openStore } from '../store/open.ts';
import { createExportService } from '../export/export-service.ts';
import { createStationSync, type SyncWorkerSettings } from '../sync/station-sync.ts';
import type { StationEventName, StationEvents } from '../../src-shared/events.ts';
import type { ScannerRead, ScannerState } from '../../src-shared/scanners.ts';
import { savedScanners } from '../../src-shared/scanners.ts';
import type {
  HardwareSettings,
  HardwareState,
  LabelPreview,
  ParentWeight,
  PrintJobView,
  WeighingState,
} from '../../src-shared/hardware.ts';
import { createWeightService } from '../core/weight-service.ts';
import { normalizeCode } from '../core/normalize.ts';
import { PrintJobRows } from '../printer/queue-rows.ts';
import { createCompletion } from './completion.ts';
import {
  hardwarePorts,
  refusePortInUse,
  type HardwareChange,
  type HardwareControl,
} from './hardware-control.ts';
import { checkChange, jobView, renderPreview } from './station-hardware.ts';
import { scaleConfigSchema } from '../scale/config.ts';
import type { WeightPort } from './weight-port.ts';

export interface StationOptions {
  dataDir: string;
  clock?: Clock;
  /** Create the station if the folder has none: only for the commands that set a station up. */
  create?: boolean;
  /** Run the sync worker when the station has joined a centre (`baglink serve` does; tests and CLI don't). */
  sync?: SyncWorkerSettings | boolean;
  /** Lines about the hardware the station drives (a label not queued, a weighing that failed). */
  log?: (line: string) => void;
}

/** weights.acknowledge's credentials: a supervisor's, typed on a dock worker's screen (or none: the session's). */
export interface SupervisorCredentials {
  username?: string | undefined;
  password?: string | undefined;
  badge?: string | undefined;
  pin?: string | undefined;
}

/** The serial scanners of a station as the API sees them; attached by the process that owns the ports. */
export interface ScannerControl {
  list(): ScannerState[];
  configure(configs: { path: string }[]): Promise<ScannerState[]>;
  /** The next read of that scanner, or null when none came in time (or there is no such scanner). */
  testRead(scannerId: string, timeoutMs: number): Promise<ScannerRead | null>;
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
  const billReads = createBillReads(ctx, bills.scanParent, bills.openBillNo, (read) =>
    emit('onBillRead', read),
  );
  const session = createSessionService(
    ctx,
    (info) => {
      billReads.release();
      emit('onSession', info);
    },
    (user, pin) => users.changeOwnPin(user, pin),
  );
  // Asked only once the station runs, so the sync (built below, as it needs the link service) is there by then.
  const joined = (): boolean => sync.joined();
  const users = createUserService(ctx, (userId) => session.refresh(userId), joined);
  const scanCommits = createGroupCommit(store.sqlite, {
    committed: () => scans.readsCommitted(),
    rolledBack: () => scans.readsRolledBack(),
  });
  let scannerControl: ScannerControl | null = null;
  let hardwareControl: HardwareControl | null = null;
  const log = options.log ?? (() => {});
  const weights: WeightPort = createWeightService(ctx);
  const completion = createCompletion({
    weights,
    hardware: () => hardwareControl,
    profile: () => ctx.profile,
    clock,
    emit: (state) => emit('onWeighing', state),
    log,
  });
  // The print history is in the station database whether or not a printer is attached now.
  let jobRows: PrintJobRows | null = null;
  const printJobs = () => (jobRows ??= new PrintJobRows(ctx.sqlite, ''));

  /** The paths the scanners use: the saved ones and those the hub has open (discovery took them). */
  function scannerPorts(): string[] {
    const paths = new Set(savedScanners(ctx.stationRepo.scanners()).map((c) => c.path));
    for (const scanner of scannerControl?.list() ?? []) paths.add(scanner.path);
    return [...paths];
  }
  function hardwareSettings(): HardwareSettings {
    if (hardwareControl) return hardwareControl.settings();
    // No process drives the devices (a CLI command): the saved settings (the repo reads them checked).
    return { scale: ctx.stationRepo.scale(), printer: ctx.stationRepo.printer() };
  }
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
  const statuses = createStatusService(ctx, {
    dataDir: options.dataDir,
    sync,
    operatorName: () => session.operator(false)?.username ?? null,
    scanners: () => scannerControl?.list() ?? [],
  });

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
      area: () => sync.enrolment()?.dispatchArea ?? null,
    }),
    exports: createExportService(ctx),
    audit: createAuditService(ctx),

    login,
    setup: createSetupService(users, login, joined),

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
      // The child that filled its parent completes it (a full parent scanned again is not a completion).
      if (
        result.outcome === 'parent_full' &&
        !result.reason &&
        result.activeParent &&
        result.activeParent.code !== result.code
      )
        completion.completed(operator, result.activeParent.code);
      return result;
    },

    syncNow: statuses.syncNow,

    activeParent: () => scans.activeParent(),
    /** How many inputs the double-read memory holds: bounded, whatever the number of inputs. */
    readMemorySize: () => scans.readMemorySize(),
    activeChildren: () => scans.activeChildren(),
    closeParent(actor: Operator | null) {
      const closed = scans.closeParent(actor);
      if (closed.closed) {
        emit('onLinksChanged', { cause: 'closeParent' });
        completion.completed(actor, closed.closed);
      }
      return closed;
    },

    attachScanners(control: ScannerControl | null): void {
      scannerControl = control;
    },

    /** The scale and the printer (app/station-hardware.ts), attached by the process that drives them. */
    attachHardware(control: HardwareControl | null): void {
      hardwareControl = control;
    },
    scannerPorts,
    /** The scale's and a serial printer's ports: scanner discovery leaves them out. */
    hardwarePorts: () => hardwarePorts(hardwareSettings()).map((p) => p.path),
    /** The same ports with the device on each, for the sentence that says why it is not a scanner. */
    hardwareDevices: () => hardwarePorts(hardwareSettings()),

    hardware: {
      get(actor: Operator | null): HardwareSettings {
        requireRole(actor, 'dock');
        return hardwareSettings();
      },
      state(actor: Operator | null): HardwareState {
        requireRole(actor, 'dock');
        return hardwareControl?.state() ?? { scale: null, printer: null };
      },
      async configure(actor: Operator | null, change: HardwareChange): Promise<HardwareSettings> {
        const admin = requireRole(actor, 'admin');
        const before = hardwareSettings();
        let after: HardwareSettings;
        if (hardwareControl) {
          after = await hardwareControl.configure(change);
        } else {
          // No process drives the devices now: checked the same way and saved, used when one starts them.
          const saved = {
            scale: scaleConfigSchema.safeParse(before.scale).data ?? null,
            printer: before.printer,
          };
          const next = checkChange(change, saved, scannerPorts());
          ctx.stationRepo.saveScale(next.scale);
          ctx.stationRepo.savePrinter(next.printer);
          after = { scale: next.scale, printer: next.printer };
        }
        ctx.journal.audit({
          at: clock.now(),
          userId: admin.id,
          action: 'hardware.configure',
          entity: 'station',
          entityId: ctx.station.stationId,
          before,
          after,
        });
        return after;
      },
    },

    weights: {
      current: (actor: Operator | null): WeighingState | null => completion.current(actor),
      weighAgain: (actor: Operator | null): WeighingState => completion.weighAgain(actor),
      weighLater: (actor: Operator | null): WeighingState => completion.weighLater(actor),
      /**
       * A supervisor acknowledges a weight that is off: the logged-in supervisor, or a supervisor's credentials
       * typed on a dock worker's screen, checked with the login's lockout without changing the session.
       */
      async acknowledge(
        actor: Operator | null,
        parent: string,
        credentials: SupervisorCredentials = {},
      ): Promise<ParentWeight> {
        requireRole(actor, 'dock');
        let supervisor = actor;
        const { username, password, badge, pin } = credentials;
        if (badge !== undefined || pin !== undefined) {
          if (badge === undefined || pin === undefined)
            throw new StationError('invalid_input', { detail: 'a badge needs its PIN' });
          supervisor = await session.confirm({ badge, pin });
        } else if (username !== undefined || password !== undefined) {
          if (username === undefined || password === undefined)
            throw new StationError('invalid_input', { detail: 'a username needs its password' });
          supervisor = await session.confirm({ username, password });
        }
        const weight = weights.acknowledge(supervisor, parent);
        completion.acknowledged(weight);
        return weight;
      },
    },

    printer: {
      /** A supervisor's reprint from look-up: a new job, audited. */
      reprint(actor: Operator | null, typed: string): PrintJobView {
        const by = requireRole(actor, 'supervisor');
        if (!hardwareControl?.settings().printer) throw new StationError('printer_not_configured');
        const facts = weights.labelFacts(typed); // the parent exists (bag_not_found otherwise)
        const parent = facts.parentCode;
        const job = hardwareControl.print(facts, 'reprint', by.username);
        ctx.journal.audit({
          at: clock.now(),
          userId: by.id,
          action: 'label.reprint',
          entity: 'bag',
          entityId: ctx.bags.byCode(parent)?.id ?? parent,
          before: null,
          after: { parent, jobId: job.id },
        });
        return job;
      },
      preview(actor: Operator | null, parent: string): Promise<LabelPreview> {
        requireRole(actor, 'dock');
        const facts = weights.labelFacts(parent);
        if (hardwareControl) return hardwareControl.preview(facts);
        const printer = hardwareSettings().printer;
        return renderPreview(facts, printer ? { layout: printer.layout, dpi: printer.dpi } : undefined);
      },
      jobs(actor: Operator | null, parent: string | undefined, limit: number): PrintJobView[] {
        requireRole(actor, 'dock');
        // As a scan reads it (trimmed, upper case): the jobs are stored under the parent's code.
        const rows = parent
          ? printJobs().forParent(normalizeCode(parent).code).slice(-limit).reverse()
          : printJobs().recent(limit);
        return rows.map(jobView);
      },
    },

    /** The scanners, for anyone logged in to see; changing and testing them is an admin's. */
    scanners: {
      list(actor: Operator | null): ScannerState[] {
        requireRole(actor, 'dock');
        return scannerControl?.list() ?? [];
      },
      configure(actor: Operator | null, configs: { path: string }[]): Promise<ScannerState[]> {
        requireRole(actor, 'admin');
        const devices = hardwarePorts(hardwareSettings());
        for (const config of configs) refusePortInUse(config.path, devices);
        if (!scannerControl) throw new StationError('scanners_unavailable');
        return scannerControl.configure(configs);
      },
      testRead(actor: Operator | null, scannerId: string, timeoutMs: number): Promise<ScannerRead | null> {
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

    statusFor: statuses.statusFor,
    syncStatus: statuses.syncStatus,
    preLogin: statuses.preLogin,
    status: statuses.status,

    emit,
    subscribe(listener: (event: string, payload: unknown) => void): () => void {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },

    /** Stops the sync worker, letting the call in flight finish; then close(). */
    stopSync: () => sync.stop(),

    close(): void {
      completion.stop();
      void sync.stop();
      store.close();
    },
  };
}

export type Station = ReturnType<typeof createStation>;

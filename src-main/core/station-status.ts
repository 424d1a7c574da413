import type { Context } from '../store/context.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { StationError } from '../../src-shared/errors.ts';
import { requireRole } from './roles.ts';
import type { ScannerState } from '../../src-shared/scanners.ts';
import type { PreLoginView, StationStatus } from '../../src-shared/status.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import { APP_VERSION } from '../../src-shared/version.ts';

/**
 * What the core reads from the station's sync, passed in rather than imported (the sync sits a layer above):
 * implemented by sync/station-sync.ts, wired in app/station.ts.
 */
export interface SyncPort {
  status(): SyncState;
  /** Whether the station has joined a centre. */
  joined(): boolean;
  /** Push and pull now instead of at the worker's next turn. */
  kick(): void;
}

export interface StatusSources {
  dataDir: string;
  sync: SyncPort;
  /** The operator logged in, without touching the session's idle clock. */
  operatorName(): string | null;
  /** The serial scanners as the hub lists them (none when no process owns the ports). */
  scanners(): ScannerState[];
}

/** The station's status answers: `baglink status`, status.get, sync.status, the login screen's chips. */
export function createStatusService(ctx: Context, sources: StatusSources) {
  const { sync } = sources;

  function status(): StationStatus {
    const outbox = ctx.counters.outbox();
    const s = ctx.station;
    return {
      version: APP_VERSION,
      stationId: s.stationId,
      name: s.name,
      dispatchArea: s.dispatchArea,
      dataDir: sources.dataDir,
      users: ctx.users.count(),
      operator: sources.operatorName(),
      outbox: { depth: outbox.depth, oldestUnsentAt: outbox.oldest },
      sync: sync.status(),
      warnings: ctx.warnings(),
    };
  }

  return {
    status,

    /** status() for the API: anyone logged in (the console's `baglink status` reads status() itself). */
    statusFor(actor: Operator | null) {
      requireRole(actor, 'dock');
      return status();
    },

    syncStatus(actor: Operator | null) {
      requireRole(actor, 'dock');
      return sync.status();
    },

    /** Admin: push and pull now instead of at the worker's next turn (a joined station only). */
    syncNow(actor: Operator | null) {
      requireRole(actor, 'admin');
      if (!sync.joined()) throw new StationError('not_enrolled');
      sync.kick();
      return sync.status();
    },

    /**
     * All the station tells before anyone logs in (see preLoginMethods in the contract): whether it has users
     * yet (the first-run screen), and the scanner and sync chips of the login screen. No names, paths or errors.
     */
    preLogin(): PreLoginView {
      const scanners = sources.scanners();
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
  };
}

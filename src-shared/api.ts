import type { z } from 'zod';
import type { AuditRow } from './audit-text.ts';
import type { methodSchemas, MethodName } from './contract.ts';
import type {
  BagStory,
  BillDetail,
  BillSummary,
  BillWarning,
  LinkChange,
  ScannedParent,
  ScanRecord,
  ScanResult,
  ActiveParent,
} from './domain.ts';
import type { ErrorCode } from './errors.ts';
import type { StationEvents } from './events.ts';
import type { ExportFile } from './export-formats.ts';
import type { ScannerRead, ScannerState } from './scanners.ts';
import type { StationSettings } from './settings.ts';
import type { Dashboard, PreLoginView, StationStatus } from './status.ts';
import type { ConflictRow, ConflictView, SyncState } from './sync-status.ts';
import type { SessionInfo, UserView } from './users.ts';

/**
 * What each method answers. The handler table (src-main/api/handlers.ts) is checked against it, so the screens
 * read the same types the core returns without importing the core.
 */
export interface MethodResults {
  'auth.login': SessionInfo;
  'auth.logout': null;
  'auth.whoami': SessionInfo | null;
  'setup.state': { firstAdmin: boolean };
  'setup.firstAdmin': SessionInfo;
  'scan.submit': ScanResult;
  'scan.undoLast': LinkChange;
  'scan.closeParent': { closed: string | null };
  'scan.state': { activeParent: ActiveParent | null; children: string[]; recent: ScanRecord[] };
  'links.remove': LinkChange;
  'links.move': LinkChange;
  'bags.lookup': BagStory;
  'bills.create': BillSummary;
  'bills.addParent': {
    bill: BillSummary;
    parent: { code: string; childCount: number };
    warning: Extract<BillWarning, 'parent_not_full'> | null;
  };
  'bills.scanParent': ScannedParent;
  'bills.takeReads': { billNo: string | null };
  'bills.removeParent': BillSummary;
  'bills.complete': { bill: BillSummary; warning: Extract<BillWarning, 'under_capacity'> | null };
  'bills.reopen': BillSummary;
  'bills.get': BillDetail;
  'bills.list': BillSummary[];
  'stats.dashboard': Dashboard;
  'users.list': UserView[];
  'users.create': UserView;
  'users.update': UserView;
  'settings.get': StationSettings;
  'settings.update': StationSettings;
  'status.get': StationStatus;
  'sync.status': SyncState;
  'sync.now': SyncState;
  'conflicts.list': ConflictView[];
  'conflicts.resolve': ConflictRow;
  'bills.export': ExportFile;
  'reports.endOfDay': ExportFile;
  'audit.list': { rows: AuditRow[]; total: number };
  'scanners.list': ScannerState[];
  'scanners.configure': ScannerState[];
  'scanners.testRead': ScannerRead | null;
  'status.preLogin': PreLoginView;
}

/** Every method's arguments (as a client sends them) and answer. */
export type StationApi = {
  [M in MethodName]: { args: z.input<(typeof methodSchemas)[M]>; result: MethodResults[M] };
};
export type Api = StationApi;
export type Method = keyof Api;
export type ArgsOf<M extends Method> = Api[M]['args'];
export type ResultOf<M extends Method> = Api[M]['result'];

export type ApiError = {
  code: ErrorCode | (string & {});
  message: string;
  params?: Record<string, string | number>;
};
export type Answer<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Event payloads, as every transport carries them. */
export type EventPayloads = StationEvents;
export type EventName = keyof EventPayloads;

/**
 * Whether the page can reach its station: up; down (the station stopped: nothing is saved); or tokenChanged (it
 * answers again, but with a new token, so this page's address is stale).
 */
export type LinkState = 'up' | 'down' | 'tokenChanged';

/** The one client the screens use; the Electron preload and the WebSocket client both satisfy it. */
export interface StationApiClient {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<Answer<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Browser mode only: the link to the station; the desktop's IPC is always up. Answers the unsubscribe. */
  onLink?(listener: (state: LinkState) => void): () => void;
}

import type { StationApi } from '../../src-main/api/handlers.ts';
import type { StationEvents } from '../../src-main/app/station.ts';
import type { ErrorCode } from '../../src-shared/errors.ts';
import type { ScannerState } from '../../src-main/scanner/hub.ts';
import type { SyncState } from '../../src-main/sync/state.ts';

/** Serial scanner states as onScannerState and scanners.list carry them. */
export type ScannerView = ScannerState;
export type { ExportFile as ExportedFile } from '../../src-main/export/export-service.ts';

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

/** Event payloads: scanner state is the list of every scanner. */
export interface EventPayloads {
  onScanResult: StationEvents['onScanResult'];
  onSession: StationEvents['onSession'];
  onScannerState: ScannerView[];
  onSyncState: SyncState;
  onLinksChanged: StationEvents['onLinksChanged'];
  onBillRead: StationEvents['onBillRead'];
}
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

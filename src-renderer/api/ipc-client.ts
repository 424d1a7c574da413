import type {
  Answer,
  ArgsOf,
  EventName,
  EventPayloads,
  ExportedFile,
  Method,
  ResultOf,
  StationApiClient,
} from './types.ts';

/**
 * What the Electron preload exposes: call, on and saveFile, nothing else. The same shape as StationBridge in
 * src-main/electron/preload-api.ts, repeated because the renderer's lint rule keeps it out of any 'electron' path.
 */
export interface StationBridge {
  call(method: string, args?: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Desktop only (a save dialog); absent in browser mode, where exports are downloads. */
  saveFile?(file: ExportedFile): Promise<{ saved: boolean; path?: string }>;
}

declare global {
  interface Window {
    station?: StationBridge;
  }
}

/** Desktop mode: the preload's window.station, with the same types as the WebSocket client. */
export function createIpcClient(bridge: StationBridge) {
  return {
    call: <M extends Method>(method: M, args: ArgsOf<M>) =>
      bridge.call(method, args) as Promise<Answer<ResultOf<M>>>,
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) =>
      bridge.on(event, listener as (payload: unknown) => void),
  } satisfies StationApiClient;
}

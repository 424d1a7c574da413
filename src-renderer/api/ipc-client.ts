import type { StationBridge } from '../../src-shared/bridge.ts';
import type {
  Answer,
  ArgsOf,
  EventName,
  EventPayloads,
  Method,
  ResultOf,
  StationApiClient,
} from '../../src-shared/api.ts';

declare global {
  interface Window {
    /** The Electron preload's bridge; absent in browser mode. */
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

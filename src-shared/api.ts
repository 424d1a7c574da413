import type { z } from 'zod';
import type { methodSchemas, MethodName, MethodResults } from './contract.ts';
import type { ErrorCode } from './errors.ts';
import type { StationEvents } from './events.ts';

export type { MethodResults };

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

/**
 * The object the preload exposes as `window.station`. Type-only: the renderer may import it
 * (`import type { StationBridge } from '../../src-main/electron/preload-api.ts'`) and its IPC client wraps it.
 * Names outside the contract's allowlist answer `unknown_method` (call) or throw (on).
 */
import type { Result } from '../core/result.ts';

export interface StationBridge {
  /** One StationApi method; always resolves to a Result, never rejects. */
  call(method: string, args?: unknown): Promise<Result<unknown>>;
  /** One StationApi event; returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The key on window. */
export type StationBridgeKey = 'station';

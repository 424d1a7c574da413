/**
 * The object the preload exposes as `window.station`. Type-only: the renderer may import it
 * (`import type { StationBridge } from './preload-api.ts'`) and its IPC client wraps it.
 * Names outside the contract's allowlist answer `unknown_method` (call) or throw (on).
 */
import type { Result } from '../../src-shared/result.ts';

export interface StationBridge {
  /** One StationApi method; always resolves to a Result, never rejects. */
  call(method: string, args?: unknown): Promise<Result<unknown>>;
  /** One StationApi event; returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Desktop only: asks where to save an exported file (a save dialog) and writes it there. */
  saveFile(file: SaveFileRequest): Promise<SaveFileAnswer>;
}

/** An exported file as `bills.export` and `reports.endOfDay` return it. */
export interface SaveFileRequest {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}

/** `saved: false` when the person cancelled the dialog; nothing was written then. */
export interface SaveFileAnswer {
  saved: boolean;
  path?: string;
}

/** The key on window. */
export type StationBridgeKey = 'station';

/**
 * The object the Electron preload exposes as `window.station` (src-main/electron/preload-bridge.ts builds it);
 * the renderer's IPC client wraps it. Desktop only: in browser mode there is no `window.station`, and exports
 * are downloads. Names outside the contract's allowlist answer `unknown_method` (call) or
 * throw (on).
 */
import type { ExportFile } from './export-formats.ts';
import type { Result } from './result.ts';

export interface StationBridge {
  /** One StationApi method; always resolves to a Result, never rejects. */
  call(method: string, args?: unknown): Promise<Result<unknown>>;
  /** One StationApi event; returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /**
   * Asks where to save an exported file (a save dialog) and writes it there: the path it was saved to, or a
   * refusal from the catalogue (save_cancelled when the person closed the dialog: nothing was written then).
   */
  saveFile(file: ExportFile): Promise<Result<SavedFile>>;
}

export interface SavedFile {
  path: string;
}

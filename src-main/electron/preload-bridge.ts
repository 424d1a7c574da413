import { fail, type Result } from '../../src-shared/result.ts';
import type { SavedFile, StationBridge } from '../../src-shared/bridge.ts';
import type { ExportFile } from '../../src-shared/export-formats.ts';

export const stationCallChannel = 'station:call';
export const stationEventChannel = 'station:event';
export const stationSaveFileChannel = 'station:save-file';

/** The part of Electron's ipcRenderer the bridge uses (a stand-in in tests). */
export interface BridgeIpcRenderer {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface BridgeAllowlist {
  methods: readonly string[];
  events: readonly string[];
}

/**
 * `window.station`: call and on, for the contract's names only, and saveFile (a save dialog for exports). The renderer never sees ipcRenderer or an
 * IPC event object (its `sender` would hand the page the whole IPC API), only plain payloads.
 */
export function createStationBridge(ipc: BridgeIpcRenderer, allow: BridgeAllowlist): StationBridge {
  const methods = new Set(allow.methods);
  const events = new Set(allow.events);
  return Object.freeze({
    async call(method: string, args?: unknown): Promise<Result<unknown>> {
      if (typeof method !== 'string' || !methods.has(method)) {
        const name = typeof method === 'string' ? method.slice(0, 64) : typeof method;
        return fail('unknown_method', { method: name });
      }
      try {
        return (await ipc.invoke(stationCallChannel, method, args ?? {})) as Result<unknown>;
      } catch (e) {
        const detail = e instanceof Error ? e.message : String(e);
        return fail('internal', { detail });
      }
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (typeof event !== 'string' || !events.has(event)) {
        const name = typeof event === 'string' ? event.slice(0, 64) : typeof event;
        throw new TypeError(`There is no station event called ${name}.`);
      }
      if (typeof listener !== 'function') throw new TypeError('station.on needs a function to call.');
      const forward = (_event: unknown, name: unknown, payload: unknown) => {
        if (name === event) listener(payload);
      };
      ipc.on(stationEventChannel, forward as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(stationEventChannel, forward as (event: unknown, ...args: unknown[]) => void);
      };
    },
    async saveFile(file: ExportFile): Promise<Result<SavedFile>> {
      // Only the three fields cross to the main process, which checks them again.
      const { fileName, mimeType, dataBase64 } = (file ?? {}) as Partial<ExportFile>;
      try {
        return (await ipc.invoke(stationSaveFileChannel, {
          fileName,
          mimeType,
          dataBase64,
        })) as Result<SavedFile>;
      } catch (e) {
        return fail('save_failed', { detail: e instanceof Error ? e.message : String(e) });
      }
    },
  });
}

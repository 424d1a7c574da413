import { eventNames } from '../../src-shared/contract.ts';
import { fail, type Result } from '../../src-shared/result.ts';
import type { ShellIpcMain, ShellWebContents } from './electron-types.ts';
import { stationCallChannel, stationEventChannel } from './preload-bridge.ts';
import { isTrustedSender } from './security.ts';

export interface StationIpcOptions {
  ipcMain: ShellIpcMain;
  /** The same dispatcher `baglink serve` uses (api/dispatch.ts): validates, runs, never throws. */
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
  /** Station events; returns the unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** The window's contents events go to, while it exists. */
  target(): ShellWebContents | undefined;
  log(line: string): void;
}

export interface StationIpc {
  /** Stops taking calls and sending events; resolves once the calls already running have finished. */
  close(): Promise<void>;
}

const allowedEvents = new Set<string>(eventNames);

/**
 * The IPC transport of the StationApi, a thin adapter like the HTTP host: check the sender, hand the call to
 * the dispatcher, send events on. A message from any frame but the top frame of app://station is refused.
 */
export function wireStationIpc(options: StationIpcOptions): StationIpc {
  let open = true;
  // Calls in flight: shutdown waits for them, so a scan being committed is finished before the database closes.
  const running = new Set<Promise<Result<unknown>>>();
  options.ipcMain.handle(stationCallChannel, async (event, method, args): Promise<Result<unknown>> => {
    if (!isTrustedSender(event) || event.sender.id !== options.target()?.id) {
      options.log(`ipc: call from ${event.senderFrame?.url.slice(0, 200) ?? 'a gone frame'} refused`);
      return fail('forbidden_origin');
    }
    if (!open) return fail('internal', { detail: 'the station is shutting down' });
    // An unknown method is the dispatcher's to answer (the preload already refused it at the page's edge).
    const call = options.dispatch(typeof method === 'string' ? method : typeof method, args);
    running.add(call);
    void call.finally(() => running.delete(call));
    return call;
  });
  const unsubscribe = options.subscribe((name, payload) => {
    if (!open || !allowedEvents.has(name)) return;
    const contents = options.target();
    if (contents === undefined || contents.isDestroyed()) return;
    contents.send(stationEventChannel, name, payload);
  });
  return {
    async close() {
      if (open) {
        open = false;
        unsubscribe();
        options.ipcMain.removeHandler(stationCallChannel);
      }
      await Promise.allSettled([...running]);
    },
  };
}

/**
 * The stand-in `electron` module the bundle boot test runs dist-main/electron/main.js against. Once the app has
 * opened its window, it plays a short session (load the page, one IPC call, quit) and prints each step as a
 * JSON line on stdout for the test to read. With BAGLINK_BOOT_WAIT_SYNC=1 it waits for the first sync state.
 */
import { fakeElectron, FakeApp, FakeEvent, FakeWindow } from './fake-electron.ts';
import { stationCallChannel } from '../preload-bridge.ts';

const report = (step: string, detail: unknown = null) => console.log(JSON.stringify({ step, detail }));

class BootApp extends FakeApp {
  private ready!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  /** Called by boot-driver.mjs once the entry module has been evaluated, as Electron does. */
  markReady(): void {
    this.ready();
  }
  override whenReady(): Promise<void> {
    return this.readyPromise;
  }
  override quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) {
      report('quit');
      process.exit(0);
    }
  }
}

class BootWindow extends FakeWindow {
  override async loadURL(url: string): Promise<void> {
    await super.loadURL(url);
    setImmediate(() => void play(this, url));
  }
}

const stand = fakeElectron();
export const app = new BootApp();
export const BrowserWindow = BootWindow;
export const { ipcMain, protocol, session, safeStorage, shell, dialog } = stand;
export default { app, BrowserWindow, ipcMain, protocol, session, safeStorage, shell, dialog };

/** The first sync state the app sent to its window: proves the bundled sync worker thread runs. */
async function firstSyncState(window: BootWindow): Promise<unknown> {
  for (;;) {
    const event = window.webContents.sent.find((m) => m.args[0] === 'onSyncState');
    if (event) return event.args[1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function play(window: BootWindow, url: string) {
  try {
    const page = await protocol.fetch(url);
    report('page', { status: page.status, csp: page.headers.get('content-security-policy') });
    report('window', window.options);
    const status = await ipcMain.invoke(
      window.webContents,
      window.webContents.mainFrame,
      stationCallChannel,
      'status.preLogin',
      {},
    );
    report('status.preLogin', status);
    if (process.env.BAGLINK_BOOT_WAIT_SYNC === '1') report('onSyncState', await firstSyncState(window));
    app.quit();
  } catch (e) {
    report('error', String(e));
    process.exit(1);
  }
}

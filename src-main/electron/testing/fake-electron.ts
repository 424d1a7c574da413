import { EventEmitter } from 'node:events';
import type {
  ShellApp,
  ShellCustomScheme,
  ShellDialog,
  ShellDialogParent,
  ShellElectron,
  ShellEvent,
  ShellFrame,
  ShellIpcMain,
  ShellIpcMainInvokeEvent,
  ShellProtocol,
  ShellSafeStorage,
  ShellSaveDialogOptions,
  ShellSession,
  ShellWebContents,
  ShellWindow,
  ShellWindowOptions,
  ShellWindowOpenDetails,
} from '../electron-types.ts';

/**
 * A small stand-in for the `electron` module: it records what the shell asks of it and lets a test play the
 * part of Chromium (navigate, open a window, send IPC from some frame). No behaviour beyond that.
 */

export class FakeEvent implements ShellEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextFrameId = 1;

export function frame(url: string, parent: ShellFrame | null = null): ShellFrame {
  return { url, parent, frameTreeNodeId: nextFrameId++ };
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter implements ShellWebContents {
  readonly id = nextContentsId++;
  mainFrame: ShellFrame;
  windowOpenHandler: ((details: ShellWindowOpenDetails) => { action: 'deny' }) | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;

  constructor(url = 'app://station/') {
    super();
    this.mainFrame = frame(url);
  }
  setWindowOpenHandler(handler: (details: ShellWindowOpenDetails) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Plays a navigation and says whether the shell let it happen. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    const event = new FakeEvent(url);
    this.emit(kind, event, url);
    return !event.defaultPrevented;
  }
}

export class FakeSession implements ShellSession {
  requestHandler: Parameters<ShellSession['setPermissionRequestHandler']>[0] | undefined;
  checkHandler: Parameters<ShellSession['setPermissionCheckHandler']>[0] | undefined;
  deviceHandler: Parameters<ShellSession['setDevicePermissionHandler']>[0] | undefined;
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['checkHandler']): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['deviceHandler']): void {
    this.deviceHandler = handler;
  }
}

type InvokeListener = (event: ShellIpcMainInvokeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain extends EventEmitter implements ShellIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke does: runs the handler, or fails like Electron when none is registered. */
  async invoke(sender: FakeWebContents, senderFrame: ShellFrame | null, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame }, ...args);
  }
}

export class FakeProtocol implements ShellProtocol {
  readonly privileged: ShellCustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  registerSchemesAsPrivileged(schemes: ShellCustomScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  fetch(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`No handler for ${url}`);
    return Promise.resolve(handler(new Request(url)));
  }
}

export class FakeWindow extends EventEmitter implements ShellWindow {
  static created: FakeWindow[] = [];
  readonly webContents = new FakeWebContents('about:blank');
  loadedUrl: string | undefined;
  loads = 0;
  shown = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: ShellWindowOptions) {
    super();
    FakeWindow.created.push(this);
  }
  /** Like a navigation: the main frame keeps its id and gets the new URL. */
  async loadURL(url: string): Promise<void> {
    this.loads++;
    this.loadedUrl = url;
    this.webContents.mainFrame = { ...this.webContents.mainFrame, url };
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeApp extends EventEmitter implements ShellApp {
  isPackaged = false;
  lockAvailable = true;
  sandboxEnabled = false;
  quitCalls = 0;
  readonly paths = new Map<string, string>();
  loginItem: { openAtLogin: boolean } | undefined;
  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  /** Like Electron: quitting asks before-quit first, and stops when a listener prevents it. */
  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
  }
  exit(): void {}
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? `/fake/${name}`;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  setAppLogsPath(path?: string): void {
    if (path) this.paths.set('logs', path);
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = settings;
  }
}

export class FakeSafeStorage implements ShellSafeStorage {
  constructor(public available = true) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  /** Not real encryption: reversible and recognisably not the plain text, which is all a test needs. */
  encryptString(plainText: string): Buffer {
    return Buffer.from(Buffer.from(plainText).map((b) => b ^ 0x5a));
  }
  decryptString(encrypted: Buffer): string {
    return Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString();
  }
}

/** Plays the person at the save dialog: picks `answer` (a path, or undefined to cancel) and records the asks. */
export class FakeDialog implements ShellDialog {
  answer: string | undefined;
  readonly asked: { window: ShellDialogParent; options: ShellSaveDialogOptions }[] = [];
  async showSaveDialog(window: ShellDialogParent, options: ShellSaveDialogOptions) {
    this.asked.push({ window, options });
    return this.answer === undefined
      ? { canceled: true, filePath: '' }
      : { canceled: false, filePath: this.answer };
  }
}

export function fakeElectron() {
  const electron = {
    app: new FakeApp(),
    BrowserWindow: FakeWindow,
    ipcMain: new FakeIpcMain(),
    protocol: new FakeProtocol(),
    session: { defaultSession: new FakeSession() },
    safeStorage: new FakeSafeStorage(),
    dialog: new FakeDialog(),
    shell: {
      opened: [] as string[],
      openExternal: async (url: string) => void electron.shell.opened.push(url),
    },
  };
  return electron satisfies ShellElectron;
}

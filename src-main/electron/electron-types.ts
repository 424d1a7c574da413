/**
 * The parts of Electron the shell uses, as narrow structural types. The real `electron` module satisfies them
 * (main.ts passes it in, so tsc checks that); tests pass the small stand-ins in testing/fake-electron.ts.
 * Side effects come in as parameters, so every rule here runs under plain Node.
 */

export interface ShellEvent {
  preventDefault(): void;
}

/** The frame an IPC message came from. */
export interface ShellFrame {
  readonly url: string;
  readonly parent: ShellFrame | null;
  /** Browser-wide id of the frame, fixed for its lifetime. */
  readonly frameTreeNodeId: number;
}

export interface ShellWindowOpenDetails {
  url: string;
}

export interface ShellWebContents {
  readonly id: number;
  readonly mainFrame: ShellFrame;
  on(event: 'will-navigate', listener: (event: ShellEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: ShellEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: ShellEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: ShellEvent & { url: string }) => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: ShellWindowOpenDetails) => { action: 'deny' }): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface ShellSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export interface ShellIpcMainInvokeEvent {
  readonly sender: ShellWebContents;
  readonly senderFrame: ShellFrame | null;
}

export interface ShellIpcMain {
  handle(
    channel: string,
    listener: (event: ShellIpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: ShellIpcMainInvokeEvent, ...args: unknown[]) => void): unknown;
}

export interface ShellCustomScheme {
  scheme: string;
  privileges?: {
    standard?: boolean;
    secure?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
  };
}

export interface ShellProtocol {
  registerSchemesAsPrivileged(schemes: ShellCustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  unhandle(scheme: string): void;
}

export interface ShellWebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webviewTag?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  experimentalFeatures?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
}

export interface ShellWindowOptions {
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  kiosk?: boolean;
  fullscreen?: boolean;
  autoHideMenuBar?: boolean;
  backgroundColor?: string;
  title?: string;
  icon?: string;
  webPreferences?: ShellWebPreferences;
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  close(): void;
}

export type ShellWindowConstructor = new (options: ShellWindowOptions) => ShellWindow;

export interface ShellApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(code?: number): void;
  whenReady(): Promise<unknown>;
  enableSandbox(): void;
  getPath(name: 'userData' | 'exe'): string;
  setPath(name: 'userData' | 'logs', path: string): void;
  setAppLogsPath(path?: string): void;
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
  readonly isPackaged: boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: ShellEvent) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: ShellWebContents) => void): unknown;
}

export interface ShellSafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The window a dialog belongs to: only what Electron's BaseWindow surely has (the real window passes). */
export interface ShellDialogParent {
  isDestroyed(): boolean;
}

export interface ShellSaveDialogOptions {
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
}

export interface ShellDialog {
  showSaveDialog(
    window: ShellDialogParent,
    options: ShellSaveDialogOptions,
  ): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface ShellShell {
  openExternal(url: string): Promise<void>;
}

/** Everything desktop.ts needs from `electron`. */
export interface ShellElectron {
  app: ShellApp;
  BrowserWindow: ShellWindowConstructor;
  ipcMain: ShellIpcMain;
  protocol: ShellProtocol;
  session: { defaultSession: ShellSession };
  safeStorage: ShellSafeStorage;
  shell: ShellShell;
  dialog: ShellDialog;
}

import { join } from 'node:path';
import { createDispatcher } from '../api/dispatch.ts';
import type { Station } from '../app/station.ts';
import { appSchemePrivileges, createAppFileHandler } from './app-protocol.ts';
import { applyAutoStart } from './autostart.ts';
import { sealCentralCredentials } from './central-secret.ts';
import { createCredentialVault, type CredentialVault } from './credentials.ts';
import { readDesktopConfig, type DesktopConfig } from './desktop-config.ts';
import type { ShellElectron, ShellWindow } from './electron-types.ts';
import { wireStationIpc } from './ipc.ts';
import { openDesktopLog, type DesktopLog } from './logging.ts';
import { wireSaveFile } from './save-file.ts';
import { appScheme, appStartUrl, denyAllPermissions, hardenWebContents } from './security.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';
import { restartDelay, supervise, type Supervised } from './supervisor.ts';
import { startUpdates, type StationUpdater } from './updater.ts';
import { bringToFront, createStationWindow } from './window.ts';

export interface SyncStartContext {
  station: Station;
  dataDir: string;
  credentials: CredentialVault;
  /** The central connection string decrypted from the vault, when the password is kept there. */
  connectionString?: string;
  log(line: string): void;
}

export interface DesktopDeps {
  dataDir: string;
  /** The built renderer (dist-renderer) served at app://station/. */
  rendererDir: string;
  /** The bundled preload (dist-main/electron/preload.cjs). */
  preloadPath: string;
  iconPath?: string;
  openStation(dataDir: string): Station;
  /** Serial scanners wired to the station (app/station-scanners.ts); stopped on quit. */
  startScanners?(station: Station, log: (line: string) => void): Promise<{ stop(): Promise<void> }>;
  /** The sync worker, one run of it; restarted with backoff when it ends. main.ts passes it, tests may not. */
  startSync?(context: SyncStartContext): Supervised;
  updater?: StationUpdater;
  platform: NodeJS.Platform;
  /** For the Linux autostart entry. */
  configHome: string;
  /** The program auto-start launches. */
  executable: string;
  /** First pause before reloading crashed screens (default 1 s, doubling per crash). */
  rendererRestartMs?: number;
}

export interface Desktop {
  station: Station;
  config: DesktopConfig;
  log: DesktopLog;
  credentials: CredentialVault;
  window(): ShellWindow | undefined;
  shutdown: Shutdown;
}

/**
 * The whole desktop app, from a given `electron` module and the station's parts: nothing here reaches for a
 * global, so tests run it against a stand-in electron. Resolves undefined when another instance already runs.
 */
export async function startDesktop(electron: ShellElectron, deps: DesktopDeps): Promise<Desktop | undefined> {
  const { app } = electron;
  // Before ready: the scheme's privileges, the sandbox for every renderer, and where Electron keeps its files.
  electron.protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
  app.enableSandbox();
  app.setPath('userData', deps.dataDir);
  app.setAppLogsPath(join(deps.dataDir, 'logs'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }

  const log = openDesktopLog(deps.dataDir);
  const config = readDesktopConfig(deps.dataDir, log.line);
  let window: ShellWindow | undefined;
  app.on('second-instance', () => bringToFront(window));
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, {
      externalAllowlist: config.externalLinks,
      openExternal: (url) => void electron.shell.openExternal(url).catch(() => {}),
      log: log.line,
    }),
  );
  await app.whenReady();

  denyAllPermissions(electron.session.defaultSession);
  electron.protocol.handle(appScheme, createAppFileHandler({ root: deps.rendererDir, log: log.line }));
  const station = deps.openStation(deps.dataDir);
  for (const warning of station.warnings) log.line(warning);
  const credentials = createCredentialVault(
    join(deps.dataDir, 'central-credentials.bin'),
    electron.safeStorage,
  );
  const dispatcher = createDispatcher(station, log.line);
  const ipc = wireStationIpc({
    ipcMain: electron.ipcMain,
    dispatch: dispatcher.dispatch,
    subscribe: station.subscribe,
    target: () => window?.webContents,
    log: log.line,
  });

  window = createStationWindow(electron.BrowserWindow, {
    preload: deps.preloadPath,
    kiosk: config.kiosk,
    fullscreen: config.fullscreen,
    devTools: config.devTools,
    ...(deps.iconPath ? { icon: deps.iconPath } : {}),
  });
  window.on('closed', () => (window = undefined));
  const saving = wireSaveFile({
    ipcMain: electron.ipcMain,
    dialog: electron.dialog,
    window: () => window,
    log: log.line,
  });
  const load = () =>
    window
      ?.loadURL(appStartUrl)
      .catch((e: unknown) => log.line(`window: could not load the app: ${String(e)}`));
  load();
  // A crashed or killed renderer is reloaded (after a growing pause, so a crash at start cannot spin).
  let rendererCrashes = 0;
  window.webContents.on('render-process-gone', (_event, details) => {
    const delay = restartDelay(++rendererCrashes, deps.rendererRestartMs ?? 1000, 30_000, Math.random);
    log.line(
      `window: the screens stopped (${details.reason}, code ${details.exitCode}); reloading in ${delay} ms`,
    );
    setTimeout(load, delay);
  });

  // Quit is handled from here on, so a quit while scanners or sync are starting still closes everything.
  const running: {
    scanners?: { stop(): Promise<void> };
    sync?: { stop(): Promise<void> };
    updates?: { stop(): void };
  } = {};
  const shutdown = createShutdown(
    [
      {
        name: 'ipc',
        run: async () => {
          saving.close();
          await ipc.close();
        },
      },
      { name: 'scanners', run: () => running.scanners?.stop() },
      { name: 'sync', run: () => running.sync?.stop() },
      { name: 'updates', run: () => running.updates?.stop() },
      { name: 'database', run: () => station.close() },
    ],
    log.line,
  );
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (shutdown.done) return;
    event.preventDefault();
    void shutdown.run().then(() => {
      log.line('app: stopped');
      log.close();
      app.quit();
    });
  });
  running.scanners = stopOnce(
    await deps.startScanners?.(station, log.line).catch((e: unknown) => {
      log.line(`scanners: not started: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }),
  );
  if (quitting) {
    // Quit came while the ports were opening: the shutdown already passed the scanners step.
    await running.scanners?.stop();
    return { station, config, log, credentials, window: () => window, shutdown };
  }
  const startSync = deps.startSync;
  let connectionString: string | undefined;
  try {
    connectionString = sealCentralCredentials(deps.dataDir, credentials, log.line);
  } catch (e) {
    log.line(`sync: ${e instanceof Error ? e.message : String(e)}`);
  }
  const syncContext = {
    station,
    dataDir: deps.dataDir,
    credentials,
    ...(connectionString ? { connectionString } : {}),
    log: log.line,
  };
  running.sync = startSync
    ? supervise({ name: 'sync', start: () => startSync(syncContext), log: log.line })
    : undefined;
  if (!startSync) log.line('sync: no sync worker in this build');
  running.updates = deps.updater
    ? startUpdates({ updater: deps.updater, url: config.updateUrl, log: log.line })
    : undefined;
  try {
    applyAutoStart(app, config.autoStart, {
      platform: deps.platform,
      executable: deps.executable,
      configHome: deps.configHome,
    });
  } catch (e) {
    log.line(`autostart: could not be set: ${String(e)}`);
  }

  log.line(`app: started; data folder ${deps.dataDir}`);
  return { station, config, log, credentials, window: () => window, shutdown };
}

/** Shutdown and a late quit may both stop the scanners: the ports are closed once. */
function stopOnce(handle: { stop(): Promise<void> } | undefined) {
  if (handle === undefined) return undefined;
  let stopping: Promise<void> | undefined;
  return { stop: () => (stopping ??= handle.stop()) };
}

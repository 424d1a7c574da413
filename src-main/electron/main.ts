/**
 * The Electron main process entry, bundled to dist-main/electron/main.js. It only gathers the real modules and
 * paths; everything it does is in desktop.ts, which the tests run against a stand-in electron.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import updaterModule from 'electron-updater';
import { defaultDataDir } from '../app/data-dir.ts';
import { createStation } from '../app/station.ts';
import { holdStationLock } from '../store/station-lock.ts';
import { startStationScanners } from '../app/station-scanners.ts';
import { startStationHardware } from '../app/station-hardware.ts';
import { startDesktop } from './desktop.ts';
import { desktopSyncSettings, startSyncRun } from './sync-run.ts';

// Paths are relative to this file, which sits at dist-main/electron/ in the bundle and inside the asar.
const appRoot = fileURLToPath(new URL('../../', import.meta.url));

// No top-level await: Electron emits 'ready' only once this module has finished evaluating, so awaiting
// whenReady here would hang. startDesktop does its before-ready work synchronously, then waits for ready.
startDesktop(electron, {
  dataDir: defaultDataDir(),
  rendererDir: join(appRoot, 'dist-renderer'),
  preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
  iconPath: join(appRoot, 'resources', 'icons', '512x512.png'),
  // The pid file makes `baglink restore` refuse while the app runs; it names a dead process once the app exits.
  openStation: (dataDir) => {
    const station = createStation({ dataDir, create: true });
    holdStationLock(dataDir);
    return station;
  },
  // The dock's serial devices: the scale and the label printer first, so the scanners leave their ports alone;
  // stopped together on quit (queued labels stay in the database for the next start).
  startScanners: async (station, log) => {
    const hardware = startStationHardware(station, { log });
    const scanners = await startStationScanners(station, { log }).catch(async (e: unknown) => {
      await hardware.stop();
      throw e;
    });
    return {
      async stop() {
        await scanners.stop();
        await hardware.stop();
      },
    };
  },
  // The station is opened without sync: the supervisor starts the worker, so it can restart it after a crash.
  startSync: ({ station, log, connectionString }) =>
    startSyncRun(station, log, desktopSyncSettings(process.env, connectionString)),
  updater: electron.app.isPackaged ? updaterModule.autoUpdater : undefined,
  platform: process.platform,
  configHome: process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
  executable: process.env.APPIMAGE ?? electron.app.getPath('exe'),
})
  .then((desktop) => {
    if (!desktop) return;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => electron.app.quit());
  })
  .catch((error: unknown) => {
    console.error(
      `BagLink Station could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    electron.app.exit(1);
  });

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../app/station.ts';
import { startDesktop, type Desktop, type DesktopDeps } from './desktop.ts';
import type { SyncWorkerSettings } from '../sync/station-sync.ts';
import { stationCallChannel, stationSaveFileChannel } from './preload-bridge.ts';
import { desktopSyncSettings, startSyncRun } from './sync-run.ts';
import { appStartUrl } from './security.ts';
import { FakeEvent, FakeWebContents, FakeWindow, fakeElectron } from './testing/fake-electron.ts';

let dir: string;
let electron: ReturnType<typeof fakeElectron>;
let desktop: Desktop | undefined;
const calls: string[] = [];

function deps(extra: Partial<DesktopDeps> = {}): DesktopDeps {
  const dataDir = join(dir, 'data');
  return {
    dataDir,
    rendererDir: join(dir, 'dist-renderer'),
    preloadPath: join(dir, 'preload.cjs'),
    openStation: (d) => createStation({ dataDir: d, create: true }),
    startScanners: async () => {
      calls.push('scanners started');
      return { stop: async () => void calls.push('scanners stopped') };
    },
    platform: 'linux',
    configHome: join(dir, 'config'),
    executable: '/opt/BagLink Station/baglink-station',
    ...extra,
  };
}

/** Quits like Electron: before-quit, which the shell prevents until its shutdown has run, then quits again. */
async function quit(d: Desktop) {
  electron.app.quit();
  await d.shutdown.run();
  await new Promise((resolve) => setImmediate(resolve));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baglink-desktop-'));
  electron = fakeElectron();
  FakeWindow.created = [];
  calls.length = 0;
  desktop = undefined;
});
afterEach(async () => {
  if (desktop && !desktop.shutdown.done) await desktop.shutdown.run();
  desktop?.log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('desktop main process', () => {
  it('registers the app scheme and the sandbox before ready, and keeps its files in the data folder', async () => {
    desktop = await startDesktop(electron, deps());
    expect(electron.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(electron.app.paths.get('userData')).toBe(join(dir, 'data'));
    expect(electron.app.paths.get('logs')).toBe(join(dir, 'data', 'logs'));
    expect(existsSync(join(dir, 'data', 'station.db'))).toBe(true);
    expect(readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8')).toContain('app: started');
  });

  it('quits at once, opening nothing, when another instance holds the lock', async () => {
    electron.app.lockAvailable = false;
    desktop = await startDesktop(electron, deps());
    expect(desktop).toBeUndefined();
    expect(electron.app.quitCalls).toBe(1);
    expect(FakeWindow.created).toHaveLength(0);
    expect(existsSync(join(dir, 'data', 'station.db'))).toBe(false);
  });

  it('opens one secure window on app://station and brings it forward on a second launch', async () => {
    desktop = await startDesktop(electron, deps());
    expect(FakeWindow.created).toHaveLength(1);
    const window = FakeWindow.created[0]!;
    expect(window.loadedUrl).toBe(appStartUrl);
    expect(window.options).toMatchObject({
      show: false,
      kiosk: false,
      fullscreen: false,
      webPreferences: {
        preload: join(dir, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        devTools: false,
      },
    });
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
    electron.app.emit('second-instance');
    expect(window.focused).toBe(true);
    expect(FakeWindow.created).toHaveLength(1);
  });

  it('takes kiosk mode and auto-start from desktop.json set by the admin', async () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'desktop.json'), JSON.stringify({ kiosk: true, autoStart: true }));
    desktop = await startDesktop(electron, deps());
    expect(FakeWindow.created[0]!.options).toMatchObject({ kiosk: true, fullscreen: true });
    const entry = readFileSync(join(dir, 'config', 'autostart', 'baglink-station.desktop'), 'utf8');
    expect(entry).toContain('Exec="/opt/BagLink Station/baglink-station"');
  });

  it('registers the IPC handler, the protocol handler and the deny-all permission handlers', async () => {
    desktop = await startDesktop(electron, deps());
    expect([...electron.ipcMain.handlers.keys()]).toEqual([stationCallChannel, stationSaveFileChannel]);
    expect([...electron.protocol.handlers.keys()]).toEqual(['app']);
    const session = electron.session.defaultSession;
    expect(session.checkHandler?.(null, 'media')).toBe(false);
    let granted: boolean | undefined;
    session.requestHandler?.(null, 'geolocation', (g) => (granted = g));
    expect(granted).toBe(false);
    const page = await electron.protocol.fetch('app://station/');
    expect(await page.text()).toContain('not built');
  });

  it('hardens every web contents the app creates', async () => {
    desktop = await startDesktop(electron, deps());
    const contents = new FakeWebContents('app://station/');
    electron.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(electron.shell.opened).toEqual([]);
  });

  it('answers IPC calls from its window with the real station', async () => {
    desktop = await startDesktop(electron, deps());
    const window = FakeWindow.created[0]!;
    const answer = await electron.ipcMain.invoke(
      window.webContents,
      window.webContents.mainFrame,
      stationCallChannel,
      'status.preLogin',
      {},
    );
    expect(answer).toMatchObject({ ok: true, value: { hasUsers: false, sync: { outboxDepth: 0 } } });
  });

  it('shuts down in order on quit: IPC, scanners, sync, then the database', async () => {
    let station: Station | undefined;
    desktop = await startDesktop(
      electron,
      deps({
        openStation: (d) => (station = createStation({ dataDir: d, create: true })),
        startSync: () => {
          calls.push('sync started');
          return { ended: new Promise(() => {}), stop: async () => void calls.push('sync stopped') };
        },
      }),
    );
    await quit(desktop!);
    expect(calls).toEqual(['scanners started', 'sync started', 'scanners stopped', 'sync stopped']);
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(station!.ctx.sqlite.open).toBe(false);
    // The second quit, after shutdown, is not prevented.
    expect(electron.app.quitCalls).toBe(2);
    const log = readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8');
    expect(log.indexOf('shutdown: ipc done')).toBeLessThan(log.indexOf('shutdown: database done'));
  });

  it('starts the sync worker with the decrypted credentials, and stops it before the database closes', async () => {
    const secret = 'pw-7f3a';
    const url = `postgres://station:${secret}@127.0.0.1:1/baglink`;
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'central.json'),
      JSON.stringify({ stationId: 'st-1', name: 'Dock 1', dispatchArea: 'MAIN', url, caFile: null }),
    );
    let station: Station | undefined;
    const settings: (SyncWorkerSettings | undefined)[] = [];
    const states: unknown[] = [];
    desktop = await startDesktop(
      electron,
      deps({
        openStation: (d) => {
          const s = createStation({ dataDir: d, create: true });
          const start = s.sync.start;
          s.sync.start = (given) => (settings.push(given), start(given));
          s.subscribe((name, payload) => void (name === 'onSyncState' && states.push(payload)));
          return (station = s);
        },
        // As main.ts wires it.
        startSync: ({ station: s, log, connectionString }) =>
          startSyncRun(s, log, desktopSyncSettings({}, connectionString)),
      }),
    );
    expect(settings).toEqual([{ intervalMs: 5000, connectionString: url }]);
    expect(readFileSync(join(dir, 'data', 'central.json'), 'utf8')).not.toContain(secret);
    expect(desktop!.credentials.load()).toEqual({ connectionString: url, stationId: 'st-1' });
    // The worker thread runs (and fails to reach port 1, which is fine): wait for its first state.
    const end = Date.now() + 60_000;
    while (states.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(states.length).toBeGreaterThan(0);
    await quit(desktop!);
    expect(station!.ctx.sqlite.open).toBe(false);
    const log = readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8');
    expect(log).not.toContain(secret);
    expect(log).toContain('sync: the central credentials are now kept encrypted');
    expect(log.indexOf('shutdown: sync done')).toBeGreaterThan(0);
    expect(log.indexOf('shutdown: sync done')).toBeLessThan(log.indexOf('shutdown: database done'));
  }, 90_000);

  it('leaves central.json as it is where safeStorage cannot encrypt, and says so', async () => {
    const url = 'postgres://station:pw-7f3a@127.0.0.1:1/baglink';
    mkdirSync(join(dir, 'data'), { recursive: true });
    const body = JSON.stringify({
      stationId: 'st-1',
      name: 'Dock 1',
      dispatchArea: 'MAIN',
      url,
      caFile: null,
    });
    writeFileSync(join(dir, 'data', 'central.json'), body);
    electron.safeStorage.available = false;
    const contexts: { connectionString?: string }[] = [];
    desktop = await startDesktop(
      electron,
      deps({
        startSync: (context) => {
          contexts.push(context);
          return { ended: new Promise(() => {}), stop: async () => {} };
        },
      }),
    );
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.connectionString).toBeUndefined();
    expect(readFileSync(join(dir, 'data', 'central.json'), 'utf8')).toBe(body);
    expect(existsSync(join(dir, 'data', 'central-credentials.bin'))).toBe(false);
    const log = readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8');
    expect(log).toContain('the central credentials stay in central.json, readable by this user only');
    expect(log).not.toContain('pw-7f3a');
  });

  it('reloads the screens after the renderer process dies', async () => {
    desktop = await startDesktop(electron, deps({ rendererRestartMs: 1 }));
    const window = FakeWindow.created[0]!;
    expect(window.loads).toBe(1);
    window.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'oom', exitCode: 9 });
    while (window.loads < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(window.loadedUrl).toBe(appStartUrl);
    expect(readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8')).toContain(
      'the screens stopped (oom, code 9)',
    );
  });

  it('a quit while the scanners are opening still stops them, and starts no sync', async () => {
    let opened: () => void = () => {};
    const starting = startDesktop(
      electron,
      deps({
        startScanners: async () => {
          await new Promise<void>((resolve) => (opened = resolve));
          calls.push('scanners started');
          return { stop: async () => void calls.push('scanners stopped') };
        },
        startSync: () => {
          calls.push('sync started');
          return { ended: new Promise(() => {}), stop: async () => {} };
        },
      }),
    );
    while (FakeWindow.created.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    electron.app.quit();
    opened();
    desktop = await starting;
    await desktop!.shutdown.run();
    expect(calls).toEqual(['scanners started', 'scanners stopped']);
  });

  it('still starts the window when the scanners fail to start, and says why in the log', async () => {
    desktop = await startDesktop(
      electron,
      deps({
        startScanners: () => Promise.reject(new Error('EACCES /dev/ttyACM0')),
      }),
    );
    expect(FakeWindow.created).toHaveLength(1);
    expect(readFileSync(join(dir, 'data', 'logs', 'station.log'), 'utf8')).toContain(
      'scanners: not started: EACCES /dev/ttyACM0',
    );
  });
});

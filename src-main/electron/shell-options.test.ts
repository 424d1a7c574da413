import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAutoStart, linuxAutostartEntry } from './autostart.ts';
import { readDesktopConfig } from './desktop-config.ts';
import { createShutdown } from './shutdown.ts';
import { startUpdates, type StationUpdater } from './updater.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'baglink-shell-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop.json', () => {
  it('defaults when missing, and falls back to defaults with a sentence when wrong', () => {
    const log: string[] = [];
    expect(readDesktopConfig(dir, (l) => log.push(l))).toEqual({
      kiosk: false,
      fullscreen: false,
      autoStart: false,
      externalLinks: [],
      devTools: false,
    });
    expect(log).toEqual([]);
    writeFileSync(join(dir, 'desktop.json'), JSON.stringify({ kiosk: 'yes', updateUrl: 'ftp://x/' }));
    expect(readDesktopConfig(dir, (l) => log.push(l)).kiosk).toBe(false);
    expect(log[0]).toMatch(/desktop\.json has a mistake \(kiosk: .*\); using the defaults\./);
    writeFileSync(join(dir, 'desktop.json'), '{ not json');
    readDesktopConfig(dir, (l) => log.push(l));
    expect(log[1]).toMatch(/is not valid JSON/);
  });

  it('reads what the admin set', () => {
    writeFileSync(
      join(dir, 'desktop.json'),
      JSON.stringify({ fullscreen: true, updateUrl: 'http://updates.dock.lan/baglink/' }),
    );
    expect(readDesktopConfig(dir, () => {})).toMatchObject({
      fullscreen: true,
      updateUrl: 'http://updates.dock.lan/baglink/',
    });
  });
});

describe('auto-start at login', () => {
  it('uses the login items on Windows', () => {
    const settings: unknown[] = [];
    const app = { setLoginItemSettings: (s: unknown) => void settings.push(s) };
    applyAutoStart(app, true, { platform: 'win32', executable: 'C:\\x.exe', configHome: dir });
    expect(settings).toEqual([{ openAtLogin: true }]);
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const app = { setLoginItemSettings: () => expect.unreachable('not on Linux') };
    const target = { platform: 'linux' as const, executable: '/tmp/Bag "Link".AppImage', configHome: dir };
    applyAutoStart(app, true, target);
    const file = join(dir, 'autostart', 'baglink-station.desktop');
    expect(readFileSync(file, 'utf8')).toBe(linuxAutostartEntry(target.executable));
    expect(readFileSync(file, 'utf8')).toContain('Exec="/tmp/Bag \\"Link\\".AppImage"');
    applyAutoStart(app, false, target);
    expect(existsSync(file)).toBe(false);
  });
});

describe('updates from the LAN', () => {
  function fakeUpdater() {
    const u = {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      feeds: [] as unknown[],
      checks: 0,
      setFeedURL: (o: unknown) => void u.feeds.push(o),
      checkForUpdates: async () => void u.checks++,
      on: () => u,
    };
    return u satisfies StationUpdater;
  }

  it('uses the generic provider with the admin URL, downloads in the background, installs on quit', () => {
    const updater = fakeUpdater();
    const updates = startUpdates({ updater, url: 'http://updates.dock.lan/baglink/', log: () => {} });
    updates.stop();
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'http://updates.dock.lan/baglink/' }]);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, checks: 1 });
  });

  it('checks nothing without a URL', () => {
    const updater = fakeUpdater();
    const log: string[] = [];
    startUpdates({ updater, url: undefined, log: (l) => log.push(l) }).stop();
    expect(updater.checks).toBe(0);
    expect(log[0]).toMatch(/no updateUrl/);
  });
});

describe('shutdown', () => {
  it('runs every step once in order, even when one fails or hangs', async () => {
    const done: string[] = [];
    const log: string[] = [];
    const shutdown = createShutdown(
      [
        { name: 'ipc', run: () => void done.push('ipc') },
        { name: 'scanners', run: () => Promise.reject(new Error('port gone')) },
        { name: 'sync', run: () => new Promise(() => {}) },
        { name: 'database', run: () => void done.push('database') },
      ],
      (l) => log.push(l),
      200,
    );
    await Promise.all([shutdown.run(), shutdown.run()]);
    expect(done).toEqual(['ipc', 'database']);
    expect(shutdown.done).toBe(true);
    expect(log).toEqual([
      'shutdown: ipc done',
      'shutdown: scanners failed: port gone',
      'shutdown: sync took too long; going on',
      'shutdown: database done',
    ]);
  });
});

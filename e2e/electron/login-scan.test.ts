/**
 * The desktop app end to end: the real Electron binary, the bundled main and preload, the app:// page, IPC to
 * a real station. Runs where an Electron binary exists (ELECTRON_PATH or node_modules/electron/dist); elsewhere
 * it is skipped and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop } from '../../scripts/build-main.ts';
import { findElectronBinary } from '../../scripts/electron-binary.ts';
import { baglink } from '../../src-main/bench/serve-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const electronBinary = findElectronBinary(root);
const password = 'electron-e2e-password';

if (electronBinary === undefined) {
  console.log(
    'e2e/electron skipped: no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); set ELECTRON_PATH to run it.',
  );
}

describe('desktop app (Electron)', () => {
  let dataDir: string;
  let app: ElectronApplication | undefined;
  let page: Page;

  beforeAll(async () => {
    if (electronBinary === undefined) return;
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-electron-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      `${password}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    await buildDesktop();
    app = await _electron.launch({
      executablePath: electronBinary,
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, BAGLINK_DATA_DIR: dataDir },
      timeout: 60_000,
    });
    page = await app.firstWindow({ timeout: 60_000 });
    await page.waitForLoadState('domcontentloaded');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(electronBinary === undefined)(
    'serves the page from app://station with only window.station',
    async () => {
      expect(page.url()).toMatch(/^app:\/\/station\//);
      const shape = await page.evaluate(() => ({
        keys: Object.keys((globalThis as unknown as { station: object }).station).sort(),
        node: typeof (globalThis as unknown as { require?: unknown }).require,
        process: typeof (globalThis as unknown as { process?: unknown }).process,
      }));
      expect(shape).toEqual({ keys: ['call', 'on'], node: 'undefined', process: 'undefined' });
    },
  );

  it.skipIf(electronBinary === undefined)('logs in and scans a parent bag over IPC', async () => {
    const outcome = await page.evaluate(async (pw) => {
      type Bridge = {
        call(m: string, a?: unknown): Promise<{ ok: boolean; value?: { outcome?: string } }>;
        on(e: string, cb: (p: unknown) => void): () => void;
      };
      const station = (globalThis as unknown as { station: Bridge }).station;
      const event = new Promise<unknown>((resolve) => {
        const off = station.on('onScanResult', (payload) => {
          off();
          resolve(payload);
        });
      });
      const login = await station.call('auth.login', { username: 'admin', password: pw });
      const scan = await station.call('scan.submit', { code: 'SB00042' });
      return { login: login.ok, scan: scan.value?.outcome, event: await event };
    }, password);
    expect(outcome).toMatchObject({
      login: true,
      scan: 'parent_active',
      event: { outcome: 'parent_active', code: 'SB00042' },
    });
  });
});

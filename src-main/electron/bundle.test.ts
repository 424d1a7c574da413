import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop } from '../../scripts/build-main.ts';
import { desktopContentSecurityPolicy } from './security.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const loader = fileURLToPath(new URL('./testing/electron-loader.mjs', import.meta.url));
const driver = fileURLToPath(new URL('./testing/boot-driver.mjs', import.meta.url));

interface Step {
  step: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  detail: any;
}

interface Boot {
  dataDir: string;
  steps: Step[];
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs dist-main/electron/main.js under plain Node, with `electron` resolved to the stand-in module and
 * 'ready' emitted only after the entry module has been evaluated, as Electron does.
 */
async function boot(
  main: string,
  prepare: (dataDir: string) => void = () => {},
  env: NodeJS.ProcessEnv = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'baglink-boot-'));
  prepare(dataDir);
  const child = spawn(process.execPath, ['--import', loader, '--import', 'tsx/esm', driver, main], {
    cwd: root,
    env: { ...process.env, ...env, BAGLINK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const steps = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Step);
  return { dataDir, steps, exitCode, stderr } satisfies Boot;
}

/**
 * The bundled main process, booted under plain Node with the stand-in electron module: proves the bundle
 * loads every package it imports, finds its migrations, preload, renderer and sync worker, answers IPC and
 * shuts down in order.
 */
describe('main process bundle', () => {
  let plain: Boot;
  let enrolled: Boot;

  beforeAll(async () => {
    const out = await buildDesktop();
    plain = await boot(out.main);
    // Joined to a centre that is not there (port 1): the worker thread starts, fails to connect, reports it.
    enrolled = await boot(
      out.main,
      (dir) =>
        writeFileSync(
          join(dir, 'central.json'),
          JSON.stringify({
            stationId: '00000000-0000-7000-8000-000000000001',
            name: 'boot test',
            dispatchArea: 'MAIN',
            url: 'postgres://station:pw@127.0.0.1:1/baglink',
            caFile: null,
          }),
        ),
      { BAGLINK_BOOT_WAIT_SYNC: '1' },
    );
  }, 180_000);
  afterAll(() => {
    for (const b of [plain, enrolled]) if (b) rmSync(b.dataDir, { recursive: true, force: true });
  });

  it('boots, serves the page with the strict CSP, answers IPC and quits cleanly', () => {
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.steps.map((s) => s.step)).toEqual(['page', 'window', 'status.preLogin', 'quit']);
    const page = plain.steps[0]!.detail;
    // 200 with a renderer build, 503 (the "not built" page) without one.
    expect([200, 503]).toContain(page.status);
    expect(page.csp).toBe(desktopContentSecurityPolicy);
    expect(plain.steps[1]!.detail.webPreferences).toMatchObject({
      preload: join(root, 'dist-main', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(plain.steps[2]!.detail).toMatchObject({ ok: true, value: { hasUsers: false } });
  });

  it('keeps its database and its log in the data folder, and closes the database last', () => {
    expect(existsSync(join(plain.dataDir, 'station.db'))).toBe(true);
    const log = readFileSync(join(plain.dataDir, 'logs', 'station.log'), 'utf8');
    const order = [
      'shutdown: ipc done',
      'shutdown: scanners done',
      'shutdown: sync done',
      'shutdown: database done',
    ];
    const at = order.map((line) => log.indexOf(line));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('runs the bundled sync worker thread when the station has joined a centre, and stops it on quit', () => {
    expect(enrolled.exitCode, enrolled.stderr).toBe(0);
    expect(enrolled.steps.map((s) => s.step)).toEqual([
      'page',
      'window',
      'status.preLogin',
      'onSyncState',
      'quit',
    ]);
    const state = enrolled.steps[3]!.detail;
    expect(state.central).not.toBeNull();
    // Only a running worker thread reports these; a worker that failed to load reports 'stopped'.
    expect(['syncing', 'retrying', 'idle']).toContain(state.state);
    const log = readFileSync(join(enrolled.dataDir, 'logs', 'station.log'), 'utf8');
    expect(log).not.toContain('sync: stopped');
    expect(log).toContain('shutdown: sync done');
    // The stand-in safeStorage can encrypt: the password moved out of central.json into the vault.
    expect(readFileSync(join(enrolled.dataDir, 'central.json'), 'utf8')).not.toContain(':pw@');
    expect(existsSync(join(enrolled.dataDir, 'central-credentials.bin'))).toBe(true);
    expect(log).not.toContain(':pw@');
  });
});

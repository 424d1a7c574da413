import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPtyPair, stopAllPtyPairs, type PtyPair } from '../scanner/pty-pair.ts';
import { baglink, serve, token, type Served } from './serve-process.ts';
import { launchChromium } from './chromium.ts';
import { ensureRendererBuilt } from '../api/renderer-build.ts';

export const people = {
  admin: { username: 'admin', password: 'admin-password-1' },
  supervisor: { username: 'sam', password: 'sam-password-1', badge: 'BADGESAM01', pin: '654321' },
  dock: { username: 'dina', password: 'dina-password-1' },
};

export interface WebStation {
  /** The running `baglink serve`; a test that restarts it puts the new one here (close() stops this one). */
  served: Served;
  /** The station's data folder. */
  dataDir: string;
  pair: PtyPair;
  browser: Browser;
  page: Page;
  /** Plays the serial scanner: writes one line into the pty, as a USB scanner would send it. */
  scan(code: string): void;
  close(): Promise<void>;
}

/**
 * A station for the browser tests (e2e/web) and the flash bench: a temp data folder with an admin, a supervisor (badge + PIN) and a dock
 * worker, `baglink serve` reading a socat pty as its scanner, and Chromium on the page with the token.
 */
export async function startWebStation(): Promise<WebStation> {
  await ensureRendererBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'baglink-web-'));
  const added = baglink(
    ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
    `${people.admin.password}\n`,
  );
  if (added.code !== 0) throw new Error(`user add failed: ${added.stderr}`);
  const pair = await startPtyPair(dataDir);
  const served = await serve(dataDir, ['--scanner', pair.station, '--only-configured']);
  const must = async (method: string, args: unknown) => {
    const answer = await served.call(method, args);
    if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
    return answer.value as unknown;
  };
  await must('auth.login', people.admin);
  const { badge, pin, ...supervisor } = people.supervisor;
  await must('users.create', {
    ...supervisor,
    displayName: 'Sam Supervisor',
    role: 'supervisor',
    badge,
    pin,
  });
  await must('users.create', { ...people.dock, displayName: 'Dina Dock', role: 'dock' });
  await must('auth.logout', {});

  const fd = openSync(pair.scanner, 'r+');
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${served.url}/#token=${token}`);
  const station: WebStation = {
    served,
    dataDir,
    pair,
    browser,
    page,
    scan: (code) => void writeSync(fd, `${code}\r\n`),
    async close() {
      await browser.close().catch(() => undefined);
      closeSync(fd);
      await station.served.stop();
      await stopAllPtyPairs();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return station;
}

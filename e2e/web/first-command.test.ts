import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const token = 'first-command-token-0123456789';

/** A clean clone of this checkout: the files git knows (committed or not), and the installed node_modules. */
function cleanClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baglink-clone-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(root, file), join(dir, file));
    } catch {
      // A file git lists but the checkout deleted: a clone would not have it either.
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** The README's first command, `npm run baglink -- serve`, in the clone, on a free port. */
async function firstCommand(clone: string, dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, BAGLINK_TOKEN: token };
  delete env.BAGLINK_SKIP_RENDERER_BUILD;
  const child = spawn(process.execPath, ['bin/baglink.js', 'serve', '--data-dir', dataDir, '--port', '0'], {
    cwd: clone,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

/** A fresh clone, a fresh data folder: the first command builds the screens, then offers the first admin. */
describe('a newcomer runs the first command on a clean clone', () => {
  let clone: string;
  let dataDir: string;
  let served: { child: ChildProcess; url: string; output: () => string };
  let browser: Browser;

  beforeAll(async () => {
    clone = cleanClone();
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-first-'));
    served = await firstCommand(clone, dataDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    served?.child.kill('SIGTERM');
    rmSync(clone, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says it is building the screens, reloads itself, then shows the real screens', async () => {
    const first = await fetch(`${served.url}/`);
    expect(first.status).toBe(503);
    const building = await first.text();
    expect(building).toContain('Building the screens');
    expect(building).toContain('<script src="/building.js">');
    expect(served.output()).toContain('Building the screens');

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${served.url}/#token=${token}`);
    await page.locator('[data-building="true"]').waitFor();
    await screenshot(page, 'first-command-building');
    // Nobody touches the page: it reloads by itself until the build is there (tens of seconds on 2 cores).
    await page.locator('#first-admin-title').waitFor({ timeout: 240_000 });
    expect(readFileSync(join(clone, 'dist-renderer', 'index.html'), 'utf8')).toContain('id="root"');
    await screenshot(page, 'first-command-first-admin');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-lang="hi"]').click();
    await page.getByText('पहला एडमिन बनाएँ').first().waitFor();
    await screenshot(page, 'first-command-first-admin-1920-hi');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('[data-lang="en"]').click();

    // The first admin, made from the page: logged in at once, and the offer is gone for good.
    const form = page.getByTestId('first-admin');
    await form.locator('input[name="displayName"]').fill('Asha Admin');
    await form.locator('input[name="password"]').fill('first-admin-password');
    await form.locator('input[name="again"]').fill('first-admin-password');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
    expect(await page.locator('.who-name').textContent()).toBe('Asha Admin');
    await page.locator('.who button').click();
    await page.locator('#login-title').waitFor();
    await page.reload();
    await page.locator('#login-title').waitFor();
    expect(await page.locator('#first-admin-title').count()).toBe(0);
  }, 300_000);
});

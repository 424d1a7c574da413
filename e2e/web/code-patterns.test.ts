import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { ensureRendererBuilt } from '../../src-main/api/renderer-build.ts';

const admin = { username: 'admin', password: 'admin-password-1' };
const wait = { timeout: 20_000, interval: 50 };

/**
 * Issue 13 item 7 in the browser: a station whose saved child pattern `^(A+)+$` was refused at start says so on
 * the Settings screen, an admin's unsafe pattern is refused with its sentence (English and Hindi), and a code
 * pattern saves and clears the warning.
 */
describe('code patterns on the Settings screen', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-patterns-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      `${admin.password}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    // A profile saved by an older version: one pattern to rewrite, one that cannot be.
    const db = new Database(join(dataDir, 'station.db'));
    const { profile } = db.prepare(`select profile from station`).get() as { profile: string };
    const legacy = { ...JSON.parse(profile), childPatterns: ['^(A+)+$', '^(CH|CX)\\d{6}$'] };
    db.prepare(`update station set profile = ?`).run(JSON.stringify(legacy));
    db.close();

    served = await serve(dataDir, ['--only-configured']);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
    page = await context.newPage();
    await page.goto(`${served.url}/#token=${token}`);
    await page.getByRole('button', { name: /Username \+ password/ }).click();
    await page.locator('input[name="username"]').fill(admin.username);
    await page.locator('input[name="password"]').fill(admin.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
    await page.locator('[data-screen="settings"]').click();
    await page.getByTestId('screen-settings').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const form = () => page.getByTestId('station-setup');
  const childField = () => form().getByLabel(/Child bag patterns|चाइल्ड बैग पैटर्न/);
  const formText = () => expect.poll(async () => (await form().textContent()) ?? '', wait);

  it('shows the saved pattern it refused at start, and the rewritten ones', async () => {
    await formText().toContain('The saved code pattern ^(A+)+$ is not a safe code pattern and is not used');
    expect(await childField().inputValue()).toBe('^(A+)+$\n^CH\\d{6}$\n^CX\\d{6}$');
    await screenshot(page, 'patterns-01-refused-at-start');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('refuses an unsafe pattern with its sentence, in English and in Hindi', async () => {
    await childField().fill('^(A+)+$\n^CH\\d{6}$');
    await form().getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await form().getByRole('alert').textContent()) ?? '', wait)
      .toContain('The code pattern ^(A+)+$ uses ( at character 2');
    await screenshot(page, 'patterns-02-refused-on-save');

    await page.locator('.header [data-lang="hi"]').click();
    await form().getByRole('button', { name: 'सहेजें' }).click();
    await expect
      .poll(async () => (await form().getByRole('alert').textContent()) ?? '', wait)
      .toContain('कोड पैटर्न ^(A+)+$ में अक्षर 2 पर ( है');
    await screenshot(page, 'patterns-03-refused-hindi');
    await page.locator('.header [data-lang="en"]').click();
  });

  it('saves code patterns, and the warning goes', async () => {
    await childField().fill('^A{4,20}$\n^CH\\d{6}$');
    await form().getByRole('button', { name: 'Save' }).click();
    await formText().toContain('Saved.');
    await formText().not.toContain('is not a safe code pattern');
    const settings = await served.call('settings.get');
    expect(settings.value.profile.childPatterns).toEqual(['^A{4,20}$', '^CH\\d{6}$']);
    await screenshot(page, 'patterns-04-saved');
  });
});

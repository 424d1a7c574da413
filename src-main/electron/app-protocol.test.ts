import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appSchemePrivileges, createAppFileHandler, resolveAppFile } from './app-protocol.ts';
import { desktopContentSecurityPolicy } from './security.ts';

let dir: string;
let root: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baglink-protocol-'));
  root = join(dir, 'dist-renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>screens</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'station secrets');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const handler = () => createAppFileHandler({ root, log: () => {} });
const get = (url: string, method = 'GET') => handler()(new Request(url, { method }));

describe('app:// protocol', () => {
  it('is registered as a secure standard scheme', () => {
    expect(appSchemePrivileges).toMatchObject({
      scheme: 'app',
      privileges: { standard: true, secure: true },
    });
  });

  it('serves the renderer build with its content type and the strict CSP', async () => {
    const res = await get('app://station/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(desktopContentSecurityPolicy);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
    expect(await (await get('app://station/')).text()).toContain('<title>screens</title>');
  });

  it('answers a renderer route with index.html and a missing asset with 404', async () => {
    expect(await (await get('app://station/bills/42')).text()).toContain('screens');
    expect((await get('app://station/assets/missing.js')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://station/', 'POST')).status).toBe(405);
  });

  it('refuses every path that leaves the build folder', async () => {
    for (const path of [
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
    ]) {
      const res = await get(`app://station${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).not.toContain('station secrets');
    }
    // The URL parser already folds %2e%2e into '..' and drops it at the root: still nothing outside is served.
    const folded = await get('app://station/%2e%2e/secret.txt');
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('station secrets');
    expect(await resolveAppFile(root, '/../secret.txt')).toEqual({ kind: 'refused' });
    expect(await resolveAppFile(root, '/../../../../etc/passwd')).toEqual({ kind: 'refused' });
  });

  it('refuses a symlink inside the build that points outside it', async () => {
    symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
    expect(await resolveAppFile(root, '/assets/link.txt')).toEqual({ kind: 'refused' });
    const res = await get('app://station/assets/link.txt');
    expect(res.status).toBe(400);
  });

  it('shows a page that says how to build the screens when there is no build', async () => {
    rmSync(root, { recursive: true });
    const res = await get('app://station/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    expect(page).toContain("The station's screens are not built.");
    expect(page).toContain('npm run build:renderer');
    expect(page).not.toMatch(/<script|style=/);
  });

  it('treats a build folder without index.html as no build', async () => {
    rmSync(join(root, 'index.html'));
    expect((await get('app://station/assets/app.js')).status).toBe(503);
  });
});

import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src-shared/errors.ts';
import { contentSecurityPolicy } from './host-http.ts';
import { rawRequest, startTestHost, testToken } from './testing/host.ts';
import type { TestHost } from './testing/host.ts';

let host: TestHost;
afterEach(async () => host?.close());

/** A call with the right token and content type; a header given as '' is left out entirely. */
function call(method: string, body?: string, headers: Record<string, string> = {}) {
  const all = { authorization: `Bearer ${testToken}`, 'content-type': 'application/json', ...headers };
  return fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== '')),
    body,
  });
}

describe('POST /api/<method>', () => {
  it('answers a good call with the Result and records exactly one dispatch', async () => {
    host = await startTestHost();
    const res = await call('echo', JSON.stringify({ code: 'SB00001' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({ ok: true, value: { code: 'SB00001' } });
    expect(host.calls).toEqual([{ method: 'echo', args: { code: 'SB00001' } }]);
  });

  it('passes an empty body as undefined args, and a domain refusal stays HTTP 200 with ok:false', async () => {
    host = await startTestHost();
    expect(await (await call('echo')).json()).toEqual({ ok: true });
    const res = await call('fail', '{}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'bag_not_found', message: formatError('bag_not_found', { code: 'X' }) },
    });
    expect(host.calls).toEqual([
      { method: 'echo', args: undefined },
      { method: 'fail', args: {} },
    ]);
  });

  it.each([
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['a token of another scheme', { authorization: `Basic ${testToken}` }],
    ['no token', { authorization: '' }],
  ])('refuses %s with 401 unauthorized before dispatch', async (_, headers) => {
    host = await startTestHost();
    const res = await call('echo', '{}', headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: formatError('unauthorized') },
    });
    expect(host.calls).toEqual([]);
  });

  it('answers 404 unknown_method from the dispatcher, before the body, running no handler', async () => {
    host = await startTestHost();
    const res = await call('bags.explode', '{}');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error: {
        code: 'unknown_method',
        message: formatError('unknown_method', { method: 'bags.explode' }),
        params: { method: 'bags.explode' },
      },
    });
    expect(host.calls).toEqual([]);
  });

  it('answers 400 bad_request for invalid JSON and for a body that is not JSON', async () => {
    host = await startTestHost();
    const broken = await call('echo', '{"code": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const text = await call('echo', 'SB00001', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(host.calls).toEqual([]);
  });

  it('answers 405 to other verbs on /api', async () => {
    host = await startTestHost();
    const res = await fetch(`${host.url}/api/echo`, { headers: { authorization: `Bearer ${testToken}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(host.calls).toEqual([]);
  });

  it('answers 413 for a declared oversized body and for a chunked one, without dispatch', async () => {
    host = await startTestHost({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ pad: 'x'.repeat(200_000) });
    const headers = { host: `127.0.0.1:${host.port}`, authorization: `Bearer ${testToken}` };
    const declared = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/echo',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({
      ok: false,
      error: {
        code: 'payload_too_large',
        message: formatError('payload_too_large', { limit: 1024 }),
        params: { limit: 1024 },
      },
    });
    const chunked = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/echo',
      headers: { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(chunked.status).toBe(413);
    // A declared length over the limit is refused before a byte is read: this body never arrives in full.
    const promised = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/echo',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': 10_000_000 },
      body: '{"a":',
    });
    expect(promised.status).toBe(413);
    expect(host.calls).toEqual([]);
    // The host is still healthy after hanging up on both.
    expect((await call('echo', '1')).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin with 403', async () => {
    host = await startTestHost();
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/echo',
      headers: { host: `evil.example:${host.port}`, authorization: `Bearer ${testToken}` },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
    const page = await rawRequest(host.port, { path: '/', headers: { host: `evil.example:${host.port}` } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('BagLink Station is running');
    const foreign = await call('echo', '{}', { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(host.calls).toEqual([]);
    expect((await call('echo', '2', { origin: `http://localhost:${host.port}` })).status).toBe(200);
  });
});

describe('createHost', () => {
  it('refuses to start with an empty token, or one with a space or a control character', async () => {
    for (const token of ['', 'short', 'a-long-station-token with-space', 'a-long-station-token\u0007x']) {
      await expect(startTestHost({ token })).rejects.toThrow('no spaces or control characters');
    }
  });
});

describe('GET /health', () => {
  it('answers without a token, with no-store', async () => {
    host = await startTestHost();
    const res = await fetch(`${host.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0' });
  });
});

describe('static files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baglink-host-'));
    await mkdir(join(dir, 'dist', 'sounds'), { recursive: true });
    await writeFile(join(dir, 'package.json'), '{"secret":"outside-the-root"}');
    await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>renderer</title>');
    await writeFile(join(dir, 'dist', 'app.js'), 'console.log("renderer");');
    await writeFile(join(dir, 'dist', 'sounds', 'ok.mp3'), Buffer.from([0xff, 0xfb, 0x90]));
    await symlink(join(dir, 'package.json'), join(dir, 'dist', 'linked.json'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('serves files with their content type and the security headers, and index.html as SPA fallback', async () => {
    host = await startTestHost({ staticDir: join(dir, 'dist') });
    const js = await fetch(`${host.url}/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(js.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await js.text()).toBe('console.log("renderer");');
    const mp3 = await fetch(`${host.url}/sounds/ok.mp3`);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(new Uint8Array(await mp3.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xfb, 0x90]));
    for (const path of ['/', '/bills/42']) {
      const page = await fetch(`${host.url}${path}`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>renderer</title>');
    }
  });

  // On POSIX a backslash is part of a file name, so `..\\package.json` is simply an unknown page inside the root.
  it.each([
    ['/../package.json', 400],
    ['/%2e%2e/package.json', 400],
    ['/sounds/%2e%2e%2f%2e%2e%2fpackage.json', 400],
    ['/..%5cpackage.json', 200],
  ])('refuses the traversal %s (status %i)', async (path, status) => {
    host = await startTestHost({ staticDir: join(dir, 'dist') });
    const res = await rawRequest(host.port, { path, headers: { host: `127.0.0.1:${host.port}` } });
    expect(res.status).toBe(status);
    expect(res.body).not.toContain('outside-the-root');
    if (status === 400)
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    else expect(res.body).toContain('<title>renderer</title>');
  });

  it('does not follow a symlink out of the root', async () => {
    host = await startTestHost({ staticDir: join(dir, 'dist') });
    const res = await fetch(`${host.url}/linked.json`);
    expect(await res.text()).not.toContain('outside-the-root');
  });

  it.each([undefined, '/nonexistent/baglink/dist'])(
    'serves the placeholder page when staticDir is %s',
    async (staticDir) => {
      host = await startTestHost(staticDir === undefined ? {} : { staticDir });
      const res = await fetch(`${host.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      const text = await res.text();
      expect(text).toContain('BagLink Station is running');
      expect(text).not.toMatch(/(src|href)="https?:/);
    },
  );
});

describe('while the screens are building', () => {
  it('answers every page with the self-reloading building page, and its script', async () => {
    let state: 'building' | 'ready' = 'building';
    host = await startTestHost({ staticDir: '/nonexistent/baglink/dist', screensState: () => state });
    const page = await fetch(`${host.url}/scan`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('3');
    expect(await page.text()).toContain('Building the screens');
    const script = await fetch(`${host.url}/building.js`);
    expect(await script.text()).toContain('location.reload()');
    state = 'ready';
    expect((await fetch(`${host.url}/`)).status).toBe(200);
  });
});

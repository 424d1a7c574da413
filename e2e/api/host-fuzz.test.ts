import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';

/**
 * Random request lines, headers and upgrade paths thrown at a running `baglink serve` over raw TCP: every one
 * gets an answer below 500 (or a closed socket) and the station keeps running. Bounded to about a minute;
 * BAGLINK_FUZZ_SEED=N replays a run, and a failure prints the seed that found it.
 */
const seed = Number(process.env.BAGLINK_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const fuzzMs = 45_000;
/** Each connection gets this long to answer before it is cut (an accepted WebSocket stays open by design). */
const connectionMs = 3_000;

let dataDir: string;
let station: Served;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'baglink-fuzz-'));
  const added = baglink(
    ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
    'admin-password\n',
  );
  expect(added.code, added.stderr).toBe(0);
  station = await serve(dataDir);
  port = Number(new URL(station.url).port);
});

afterAll(async () => {
  await station?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Writes the bytes, half-closes, and reads what comes back until the server closes or the bound passes. */
function exchange(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(cut);
      socket.destroy();
      resolve(answer);
    };
    const cut = setTimeout(done, connectionMs);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.end(bytes);
  });
}

const pathsThatKilledIt = ['//[', '//a:b@c:d', '//%5B', 'http://[', 'http://127.0.0.1/ws', '//ws', '*'];
const knownPaths = [
  '/ws',
  '/ws?token=x',
  '/api/auth.whoami',
  '/api/%E0%A4',
  '/api/a/b',
  '/health',
  '/%',
  '/%00',
];

function requestArbitrary(hostHeader: string) {
  const target = fc.oneof(
    fc.constantFrom(...pathsThatKilledIt, ...knownPaths, '/../../etc/passwd', '', '/\u00ff'),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(fc.constantFrom(...pathsThatKilledIt, ...knownPaths), fc.string({ maxLength: 20 }))
      .map(([a, b]) => a + b),
  );
  const method = fc.oneof(
    fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', 'CONNECT', 'DELETE', 'PRI'),
    fc.string({ maxLength: 10 }),
  );
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', '');
  const headerName = fc.oneof(
    fc.constantFrom(
      'Host',
      'Origin',
      'Upgrade',
      'Connection',
      'Sec-WebSocket-Key',
      'Sec-WebSocket-Version',
      'Sec-WebSocket-Protocol',
      'Sec-WebSocket-Extensions',
      'Authorization',
      'Content-Length',
      'Transfer-Encoding',
      'Content-Type',
      'Expect',
    ),
    fc.string({ maxLength: 12 }),
  );
  const headerValue = fc.oneof(
    fc.constantFrom(
      hostHeader,
      'evil.example',
      'http://evil.example',
      'null',
      'websocket',
      'Upgrade',
      '13',
      'dGhlIHNhbXBsZSBub25jZQ==',
      `baglink, token.${token}`,
      `Bearer ${token}`,
      'application/json',
      '-1',
      '99999999999999999999',
      'chunked',
      '100-continue',
      'permessage-deflate; client_max_window_bits=0',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  return fc.record({
    method,
    target,
    version,
    upgrade: fc.boolean(),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 8 }),
    body: fc.string({ unit: 'binary', maxLength: 100 }),
  });
}

function requestBytes(r: {
  method: string;
  target: string;
  version: string;
  upgrade: boolean;
  headers: [string, string][];
  body: string;
}): Buffer {
  const upgrade = r.upgrade
    ? `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
    : '';
  const headers = r.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.from(`${r.method} ${r.target} ${r.version}\r\n${upgrade}${headers}\r\n${r.body}`, 'utf8');
}

function stillRunning(): boolean {
  return station.child.exitCode === null && station.child.signalCode === null;
}

describe('baglink serve under hostile requests', () => {
  it('answers the paths that used to kill it with 400, upgrade or not, from another origin, with no token', async () => {
    for (const upgrade of [true, false]) {
      for (const path of pathsThatKilledIt) {
        const answer = await exchange(
          requestBytes({
            method: 'GET',
            target: path,
            version: 'HTTP/1.1',
            upgrade,
            headers: [
              ['Host', `127.0.0.1:${port}`],
              ['Origin', 'http://evil.example'],
            ],
            body: '',
          }),
        );
        expect([path, upgrade, answer.split('\r\n')[0]]).toEqual([path, upgrade, 'HTTP/1.1 400 Bad Request']);
        expect(stillRunning()).toBe(true);
      }
    }
    expect((await fetch(`${station.url}/health`)).status).toBe(200);
  });

  it('survives random request lines, headers and upgrade paths, then still answers /health and a call', async () => {
    const property = fc.asyncProperty(requestArbitrary(`127.0.0.1:${port}`), async (request) => {
      const answer = await exchange(requestBytes(request));
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      expect(status === undefined || Number(status) < 500, answer.slice(0, 200)).toBe(true);
      expect(stillRunning()).toBe(true);
      expect((await fetch(`${station.url}/health`)).status).toBe(200);
    });
    try {
      await fc.assert(property, {
        seed,
        numRuns: 15_000,
        interruptAfterTimeLimit: fuzzMs,
        markInterruptAsFailure: false,
        // One request that kills the station fails every later one: report it as found, do not shrink.
        endOnFailure: true,
      });
    } catch (error) {
      console.error(`host fuzz failed with seed ${seed}: replay with BAGLINK_FUZZ_SEED=${seed}`);
      throw error;
    }

    expect(stillRunning()).toBe(true);
    const login = await station.call('auth.login', { username: 'admin', password: 'admin-password' });
    expect(login.ok).toBe(true);
    const scan = await station.call('scan.submit', { code: 'SB00001' });
    expect(scan.value.outcome).toBe('parent_active');
  }, 120_000);

  it('survives random WebSocket frames on an accepted socket', async () => {
    const upgrade =
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
      `Sec-WebSocket-Protocol: baglink, token.${token}\r\n\r\n`;
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // A masked text frame whose payload is random text (a call that is not JSON, or JSON that is not a call).
      fc.string({ unit: 'binary', maxLength: 100 }).map((text) => {
        const payload = Buffer.from(text, 'utf8');
        return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
      }),
    );
    const property = fc.asyncProperty(frames, async (bytes) => {
      const answer = await exchange(Buffer.concat([Buffer.from(upgrade), Buffer.from(bytes)]));
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
      expect(stillRunning()).toBe(true);
    });
    try {
      await fc.assert(property, { seed, numRuns: 500, endOnFailure: true });
    } catch (error) {
      console.error(`host fuzz failed with seed ${seed}: replay with BAGLINK_FUZZ_SEED=${seed}`);
      throw error;
    }
    expect((await fetch(`${station.url}/health`)).status).toBe(200);
  }, 120_000);
});

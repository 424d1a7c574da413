import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { formatError } from '../../src-shared/errors.ts';
import { startTestHost, testToken } from './testing/host.ts';
import type { TestHost } from './testing/host.ts';

let host: TestHost;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await host?.close();
});

function wsUrl(query = '') {
  return `ws://127.0.0.1:${host.port}/ws${query}`;
}

/** Opens a socket and collects every frame it receives, so a test can wait for the n-th one. */
async function open(url = wsUrl(), protocols: string[] = ['baglink', `token.${testToken}`]) {
  const ws = new WebSocket(url, protocols);
  sockets.push(ws);
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await once(ws, 'open');
  const next = async (count: number) => {
    await expect.poll(() => frames.length).toBeGreaterThanOrEqual(count);
    return frames[count - 1];
  };
  return { ws, frames, next };
}

/** The HTTP status a refused upgrade answered with. */
async function refusedStatus(url: string, options: WebSocket.ClientOptions = {}, protocols: string[] = []) {
  const ws = new WebSocket(url, protocols, options);
  sockets.push(ws);
  ws.on('error', () => undefined);
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
  return res.statusCode;
}

/** An upgrade request written byte for byte (a WebSocket client would refuse to send these paths). */
async function rawUpgrade(port: number, path: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.end(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\n` +
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  let answer = '';
  for await (const chunk of socket) answer += String(chunk);
  return answer;
}

describe('WebSocket /ws', () => {
  it('refuses an upgrade with no token or a wrong token with 401, and subscribes nobody', async () => {
    host = await startTestHost();
    expect(await refusedStatus(wsUrl())).toBe(401);
    expect(await refusedStatus(wsUrl(), {}, ['baglink', 'token.wrong'])).toBe(401);
    expect(await refusedStatus(wsUrl('?token=wrong'))).toBe(401);
    expect(host.events.listenerCount('station')).toBe(0);
  });

  it('refuses a foreign Origin and a foreign Host with 403', async () => {
    host = await startTestHost();
    const protocols = ['baglink', `token.${testToken}`];
    expect(await refusedStatus(wsUrl(), { origin: 'http://evil.example' }, protocols)).toBe(403);
    expect(await refusedStatus(wsUrl(), { headers: { host: 'evil.example' } }, protocols)).toBe(403);
  });

  it('accepts the token only as a subprotocol (answering "baglink"); ?token= is refused', async () => {
    host = await startTestHost();
    const byProtocol = await open(wsUrl(), ['baglink', `token.${testToken}`]);
    expect(byProtocol.ws.protocol).toBe('baglink');
    expect(await refusedStatus(wsUrl(`?token=${testToken}`))).toBe(401);
    const sameOrigin = new WebSocket(wsUrl(), ['baglink', `token.${testToken}`], {
      origin: `http://127.0.0.1:${host.port}`,
    });
    sockets.push(sameOrigin);
    await once(sameOrigin, 'open');
  });

  it('answers an upgrade with a malformed path with 400 and keeps serving', async () => {
    host = await startTestHost();
    for (const path of ['//[', '//a:b@c:d', '//%5B', 'http://[', '//ws', '/ws/..', '*']) {
      const answer = await rawUpgrade(host.port, path);
      expect([path, answer.split('\r\n')[0]]).toEqual([path, 'HTTP/1.1 400 Bad Request']);
    }
    expect((await open()).ws.readyState).toBe(WebSocket.OPEN);
  });

  it('pushes every station event to every socket, and unsubscribes on close', async () => {
    host = await startTestHost();
    const a = await open();
    const b = await open();
    await expect.poll(() => host.events.listenerCount('station')).toBe(2);
    host.events.emit('station', 'onScanResult', { code: 'SB00001', outcome: 'parent' });
    host.events.emit('station', 'onSyncState', { outboxDepth: 3 });
    for (const client of [a, b]) {
      expect(await client.next(1)).toEqual({
        type: 'event',
        event: 'onScanResult',
        payload: { code: 'SB00001', outcome: 'parent' },
      });
      expect(await client.next(2)).toEqual({
        type: 'event',
        event: 'onSyncState',
        payload: { outboxDepth: 3 },
      });
    }
    a.ws.close();
    await expect.poll(() => host.events.listenerCount('station')).toBe(1);
  });

  it('answers calls with results, correlated by id', async () => {
    host = await startTestHost();
    const client = await open();
    client.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'echo', args: { code: 'C1234' } }));
    expect(await client.next(1)).toEqual({
      type: 'result',
      id: 1,
      result: { ok: true, value: { code: 'C1234' } },
    });
    client.ws.send(JSON.stringify({ type: 'call', id: 'b', method: 'fail', args: {} }));
    expect(await client.next(2)).toEqual({
      type: 'result',
      id: 'b',
      result: {
        ok: false,
        error: { code: 'bag_not_found', message: formatError('bag_not_found', { code: 'X' }) },
      },
    });
    client.ws.send(JSON.stringify({ type: 'call', id: 3, method: 'bags.explode' }));
    expect(await client.next(3)).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'unknown_method' } },
    });
    expect(host.calls).toEqual([
      { method: 'echo', args: { code: 'C1234' } },
      { method: 'fail', args: {} },
    ]);
  });

  it('answers unreadable frames with bad_request and keeps the socket open', async () => {
    host = await startTestHost();
    const client = await open();
    const badRequest = { ok: false, error: { code: 'bad_request', message: formatError('bad_request') } };
    client.ws.send('{not json');
    expect(await client.next(1)).toEqual({ type: 'result', id: null, result: badRequest });
    client.ws.send(JSON.stringify({ type: 'call', id: 7 }));
    expect(await client.next(2)).toEqual({ type: 'result', id: 7, result: badRequest });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next(3)).toEqual({ type: 'result', id: null, result: badRequest });
    client.ws.send(JSON.stringify({ type: 'call', id: 8, method: 'echo', args: 'still here' }));
    expect(await client.next(4)).toEqual({
      type: 'result',
      id: 8,
      result: { ok: true, value: 'still here' },
    });
    expect(host.calls).toEqual([{ method: 'echo', args: 'still here' }]);
  });

  it('closes a socket that sends a frame over the size cap', async () => {
    host = await startTestHost({ maxBodyBytes: 1024 });
    const client = await open();
    client.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'echo', args: 'x'.repeat(4096) }));
    const [code] = (await once(client.ws, 'close')) as [number];
    expect(code).toBe(1009);
    expect(host.calls).toEqual([]);
  });

  it('close() closes open sockets and the server', async () => {
    host = await startTestHost();
    const client = await open();
    const closed = once(client.ws, 'close');
    await host.close();
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
    expect(host.events.listenerCount('station')).toBe(0);
    await expect(fetch(`${host.url}/health`)).rejects.toThrow();
  });
});

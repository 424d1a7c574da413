import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { z } from 'zod';
import { fail, type Result } from '../../src-shared/result.ts';
import { dispatchSafely } from './host-api.ts';
import { isAllowedHost, isAllowedOrigin, requestPath, tokenMatches, transportStatus } from './host-http.ts';
import type { TransportCode } from './host-http.ts';

export interface SocketRoute {
  port: number;
  token: string;
  maxPayload: number;
  pingIntervalMs: number;
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  log(line: string): void;
}

/** The subprotocol a browser names next to `token.<TOKEN>`, since it cannot set an Authorization header. */
export const socketProtocol = 'baglink';
const tokenProtocolPrefix = 'token.';
/** A client that cannot keep up with events is dropped rather than buffered without end. */
const maxBufferedBytes = 4 * 1024 * 1024;

const callId = z.union([z.string().max(200), z.number()]);
const callFrame = z.object({
  type: z.literal('call'),
  id: callId,
  method: z.string().min(1).max(200),
  args: z.unknown().optional(),
});

type ResultFrame = { type: 'result'; id: string | number | null; result: Result<unknown> };

/**
 * Serves `/ws` on the given server: every station event is pushed as `{ type: 'event', event, payload }`, and
 * `{ type: 'call', id, method, args }` is answered with `{ type: 'result', id, result }`. A frame that cannot be
 * read is answered with bad_request; it never closes the socket or throws.
 */
export function attachSockets(server: Server, route: SocketRoute): { close(): Promise<void> } {
  const alive = new WeakMap<WebSocket, boolean>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: route.maxPayload,
    handleProtocols: (offered) => (offered.has(socketProtocol) ? socketProtocol : false),
  });

  // An exception thrown here would be outside every handler and end the process: whatever the request holds,
  // it gets an HTTP answer or a closed socket, never a throw.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => route.log(`ws: socket error before upgrade: ${error.message}`));
    try {
      const refusal = upgradeRefusal(req, route);
      if (refusal !== undefined) return refuseUpgrade(socket, refusal);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (error) {
      route.log(`ws: upgrade failed: ${String(error)}`);
      socket.destroy();
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', (error) => route.log(`ws: ${error.message}`));
    const unsubscribe = route.subscribe((event, payload) =>
      send(ws, { type: 'event', event, payload }, route),
    );
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      void answer(data, isBinary, route).then((frame) => send(ws, frame, route));
    });
  });

  // A socket whose pong has not come back by the next ping is dead (sleeping laptop, pulled cable): drop it.
  const keepalive = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, route.pingIntervalMs);
  keepalive.unref();

  return {
    async close() {
      clearInterval(keepalive);
      await Promise.all([...wss.clients].map((ws) => closeSocket(ws)));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The token travels only as the subprotocol `token.<TOKEN>` (a query string ends up in logs and history). */
function upgradeRefusal(req: IncomingMessage, route: SocketRoute): TransportCode | undefined {
  if (requestPath(req.url) !== '/ws') return 'bad_request';
  if (!isAllowedHost(req.headers.host, route.port)) return 'forbidden_origin';
  if (!isAllowedOrigin(req.headers.origin, route.port)) return 'forbidden_origin';
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const candidate = offered.find((p) => p.startsWith(tokenProtocolPrefix))?.slice(tokenProtocolPrefix.length);
  return tokenMatches(candidate, route.token) ? undefined : 'unauthorized';
}

/** Before the upgrade there is no WebSocket yet: answer with a plain HTTP error in the usual JSON shape. */
function refuseUpgrade(socket: Duplex, code: TransportCode): void {
  const status = transportStatus[code];
  const body = JSON.stringify(fail(code));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
      body,
  );
}

async function answer(data: RawData, isBinary: boolean, route: SocketRoute): Promise<ResultFrame> {
  const parsed = isBinary ? undefined : parseJson(data.toString());
  const frame = callFrame.safeParse(parsed);
  if (!frame.success) {
    const id = callId.safeParse((parsed as { id?: unknown } | undefined)?.id);
    return { type: 'result', id: id.success ? id.data : null, result: fail('bad_request') };
  }
  const { id, method, args } = frame.data;
  // An unknown method is the dispatcher's to answer, like any other refusal.
  const result = await dispatchSafely(route, method, args);
  return { type: 'result', id, result };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function send(
  ws: WebSocket,
  frame: ResultFrame | { type: 'event'; event: string; payload: unknown },
  route: SocketRoute,
) {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (ws.bufferedAmount > maxBufferedBytes) {
    route.log('ws: client is not reading its messages; closing it');
    ws.terminate();
    return;
  }
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    route.log(`ws: ${frame.type} could not be turned into JSON: ${String(error)}`);
    if (frame.type === 'event') return;
    text = JSON.stringify({
      ...frame,
      result: fail('internal', { detail: 'the answer could not be sent' }),
    });
  }
  ws.send(text);
}

/** Close politely (1001 going away), and cut the socket if the client does not answer within a second. */
function closeSocket(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const cut = setTimeout(() => ws.terminate(), 1000);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    ws.close(1001, 'The station is shutting down');
  });
}

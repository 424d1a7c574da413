import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Result } from '../../src-shared/result.ts';
import { handleApiRequest } from './host-api.ts';
import type { ApiRoute } from './host-api.ts';
import {
  isAllowedHost,
  requestPath,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  setSecurityHeaders,
} from './host-http.ts';
import { openStaticFiles } from './host-static.ts';
import { isUsableToken, tokenRule } from './host-token.ts';
import type { ScreensState, StaticFiles } from './host-static.ts';
import { attachSockets } from './host-ws.ts';

export interface HostOptions {
  /** 0 = any free port. */
  port: number;
  /** Bearer token every /api call and every socket must present. */
  token: string;
  /** Never throws; unknown methods are answered by dispatch with unknown_method. */
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
  /** Whether the contract has the method (the dispatcher's own check): an unknown one's body is never read. */
  isMethod(method: string): boolean;
  /** Station events to push to every socket; returns the unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Body of GET /health (no token needed, so it must not hold secrets). */
  health(): unknown;
  /** Built renderer files; when missing or absent on disk, resources/placeholder/index.html is served. */
  staticDir?: string;
  /** While 'building', every page is the self-reloading "building the screens" page. */
  screensState?: ScreensState;
  /** Largest request body and WebSocket frame; default 64 KiB. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface Host {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const defaultMaxBodyBytes = 64 * 1024;
const pingIntervalMs = 30_000;

/**
 * The loopback transport for the station API: `POST /api/<method>`, `GET /health`, a WebSocket at `/ws`, and
 * the renderer's files. It binds 127.0.0.1 only and knows nothing of the domain: every answer comes from the
 * options. Transport refusals get their own HTTP status (see transportStatus); domain refusals are 200 ok:false.
 */
export async function createHost(o: HostOptions): Promise<Host> {
  // An empty or unsendable token would be an open door or a locked one: refuse to start instead.
  if (!isUsableToken(o.token)) throw new Error(tokenRule);
  const log = o.log ?? (() => {});
  const maxBodyBytes = o.maxBodyBytes ?? defaultMaxBodyBytes;
  const staticFiles = await openStaticFiles(o.staticDir, log, o.screensState);
  const server = createServer();
  // The port is known only once listening; handlers are attached after that, before any request can arrive.
  const port = await listen(server, o.port);
  server.on('error', (error) => log(`http: server error: ${error.message}`));
  const apiRoute: ApiRoute = {
    port,
    token: o.token,
    maxBodyBytes,
    dispatch: o.dispatch,
    isMethod: o.isMethod,
    log,
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, apiRoute, o.health, staticFiles).catch((error: unknown) => {
      log(`http: ${req.method} ${JSON.stringify(req.url?.slice(0, 200))} failed: ${String(error)}`);
      if (res.headersSent) return void res.destroy();
      try {
        sendError(res, 'internal', { detail: 'the request failed unexpectedly' });
      } catch {
        res.destroy();
      }
    });
  });
  const sockets = attachSockets(server, {
    ...apiRoute,
    maxPayload: maxBodyBytes,
    pingIntervalMs,
    subscribe: o.subscribe,
  });

  const url = `http://127.0.0.1:${port}`;
  log(`host: listening on ${url}`);
  // Idempotent: a second close() waits for the first instead of failing on a server that is already stopped.
  let closing: Promise<void> | undefined;
  const close = async () => {
    await sockets.close();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    log('host: closed');
  };
  return { url, port, close: () => (closing ??= close()) };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  apiRoute: ApiRoute,
  health: () => unknown,
  staticFiles: StaticFiles,
): Promise<void> {
  setSecurityHeaders(res);
  if (!isAllowedHost(req.headers.host, apiRoute.port)) return sendError(res, 'forbidden_origin');
  const path = requestPath(req.url);
  if (path === undefined) return sendError(res, 'bad_request');
  if (path === '/api' || path.startsWith('/api/')) return handleApiRequest(req, res, path, apiRoute);
  if (path === '/health') {
    if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
    return sendJson(res, 200, health());
  }
  return staticFiles.serve(req, res, path);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('The host has no TCP address.'));
      else resolve(address.port);
    });
  });
}

/**
 * A small proxy in front of `baglink serve` for the break-link tests: it rewrites Host and Origin to the station's,
 * and can hold WebSocket upgrades back, delay chosen HTTP answers, or go silent on open sockets (a half-dead link).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

export interface LinkProxy {
  url: string;
  /** Where the proxy forwards to (a restarted station may listen on another port). */
  target: string;
  /** While true, new WebSocket upgrades wait; release() lets them through. */
  holdSockets: boolean;
  release(): void;
  /** HTTP answers to /api/<method> for these methods are held this many ms before they are passed on. */
  delayHttp: Map<string, number>;
  /** Open sockets stop passing frames either way, without closing (a half-dead link). */
  silence(): void;
  /** Cuts every open socket through the proxy. */
  cutSockets(): void;
  /** Upgrade requests seen so far. */
  upgrades: number;
  close(): Promise<void>;
}

export async function startLinkProxy(target: string): Promise<LinkProxy> {
  const held: Array<() => void> = [];
  const open = new Set<{ client: Duplex; upstream: Socket; silent: boolean }>();
  const everySocket = new Set<Duplex>();
  const proxy: LinkProxy = {
    url: '',
    target,
    holdSockets: false,
    release() {
      proxy.holdSockets = false;
      for (const go of held.splice(0)) go();
    },
    delayHttp: new Map(),
    silence() {
      for (const pair of open) pair.silent = true;
    },
    cutSockets() {
      for (const pair of open) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      open.clear();
    },
    upgrades: 0,
    close: async () => {
      proxy.cutSockets();
      for (const socket of everySocket) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const rewrite = (req: IncomingMessage) => {
    const t = new URL(proxy.target);
    const headers = { ...req.headers, host: t.host };
    if (headers.origin) headers.origin = t.origin;
    return { t, headers };
  };

  const server: Server = createServer((req, res) => {
    const { t, headers } = rewrite(req);
    const upstream = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers },
      (answer) => {
        const method = /^\/api\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '';
        const delay = proxy.delayHttp.get(method) ?? 0;
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          setTimeout(() => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, delay);
        });
      },
    );
    upstream.on('error', () => {
      res.destroy();
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    proxy.upgrades++;
    client.on('error', () => undefined);
    everySocket.add(client);
    const go = () => {
      if (client.destroyed) return;
      const { t, headers } = rewrite(req);
      const upstream = connect(Number(t.port), t.hostname);
      everySocket.add(upstream);
      const pair = { client, upstream, silent: false };
      upstream.on('error', () => client.destroy());
      upstream.on('connect', () => {
        let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
        for (const [name, value] of Object.entries(headers)) {
          for (const v of Array.isArray(value) ? value : [value]) text += `${name}: ${v}\r\n`;
        }
        upstream.write(text + '\r\n');
        if (head.length) upstream.write(head);
        open.add(pair);
        upstream.on('data', (c: Buffer) => {
          if (!pair.silent) client.write(c);
        });
        client.on('data', (c: Buffer) => {
          if (!pair.silent) upstream.write(c);
        });
        upstream.on('close', () => {
          open.delete(pair);
          if (!pair.silent) client.destroy();
        });
        client.on('close', () => {
          open.delete(pair);
          if (!pair.silent) upstream.destroy();
        });
      });
    };
    if (proxy.holdSockets) held.push(go);
    else go();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** `baglink serve` with the dock worker logged in, a proxy in front of it, and a fresh tab not yet opened on it. */
export async function startDockBehindProxy(): Promise<{ station: WebStation; proxy: LinkProxy; page: Page }> {
  const station = await startWebStation();
  const proxy = await startLinkProxy(station.served.url);
  const login = await station.served.call('auth.login', people.dock);
  if (!login.ok) throw new Error(`auth.login failed: ${login.error?.message}`);
  const page = await station.browser.newPage();
  return { station, proxy, page };
}

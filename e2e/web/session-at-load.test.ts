import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * In front of the station: plain HTTP goes through at once, a WebSocket upgrade waits until `openSockets()`.
 * A loaded 2-core station PC can take that long to open the page's socket.
 */
function slowSocketProxy(target: URL) {
  // The station only answers its own host and origin (rebinding guard): the proxy speaks as the page would to it.
  const asStation = (headers: Record<string, string | string[] | undefined>) => ({
    ...headers,
    host: target.host,
    ...(headers.origin ? { origin: target.origin } : {}),
  });
  const held: Array<() => void> = [];
  const piped = new Set<Socket>();
  let open = false;
  const server: Server = createServer((req, res) => {
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: asStation(req.headers),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const go = () => {
      const upstream = connect(Number(target.port), target.hostname, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (const [name, value] of Object.entries(asStation(req.headers))) {
          for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
        }
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      piped.add(upstream).add(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    if (open) go();
    else held.push(go);
  });
  return {
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    openSockets() {
      open = true;
      for (const go of held.splice(0)) go();
    },
    holdSockets() {
      open = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of piped) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A page opened while someone logs out elsewhere (the API, another tab): its first reads must not be older than
 * the events it hears, or it shows a person logged in who has gone. Chromium against `baglink serve`.
 */
describe('a page whose socket opens late', () => {
  let station: WebStation;
  let proxy: ReturnType<typeof slowSocketProxy>;
  let url: string;

  beforeAll(async () => {
    station = await startWebStation();
    proxy = slowSocketProxy(new URL(station.served.url));
    url = await proxy.listen();
  }, 180_000);

  afterAll(async () => {
    await station?.close();
    await proxy?.close();
  });

  /** The supervisor logged in, and a new tab opened through the proxy with its socket held back. */
  async function openWhileLoggedIn(): Promise<Page> {
    proxy.holdSockets();
    const { username, password } = people.supervisor;
    const login = await station.served.call('auth.login', { username, password });
    expect(login.ok).toBe(true);
    const page = await (
      await station.browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto(`${url}/#token=${token}`);
    return page;
  }

  async function expectLoginShown(page: Page) {
    await page.locator('#login-title').waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => page.getByTestId('screen-scan').count(), { timeout: 5_000, interval: 100 })
      .toBe(0);
    const whoami = await station.served.call('auth.whoami', {});
    expect(whoami.ok && whoami.value).toBeNull();
  }

  it('shows the login after a logout that happened before its socket opened, not the person who left', async () => {
    const page = await openWhileLoggedIn();
    // The page has started and asked who is logged in; the supervisor logs out before its socket is open.
    await pause(1500);
    expect((await station.served.call('auth.logout', {})).ok).toBe(true);
    proxy.openSockets();
    await expectLoginShown(page);
  }, 60_000);

  it('says the link is down while its socket will not open, and reads again once it does', async () => {
    const page = await openWhileLoggedIn();
    // Past the page's wait for its socket: it works over HTTP meanwhile and says it cannot hear the station.
    await page.getByTestId('link-banner').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('link-banner').getAttribute('data-link')).toBe('down');
    expect((await station.served.call('auth.logout', {})).ok).toBe(true);
    proxy.openSockets();
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await expectLoginShown(page);
  }, 60_000);
});

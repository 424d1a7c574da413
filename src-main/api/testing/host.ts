import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { formatError } from '../../../src-shared/errors.ts';
import { fail, ok } from '../../../src-shared/result.ts';
import type { Result } from '../../../src-shared/result.ts';
import { APP_VERSION } from '../../../src-shared/version.ts';
import { createHost } from '../host.ts';
import type { Host, HostOptions } from '../host.ts';

/** Test support for host*.test.ts: a tiny real handler table and event source in place of the station. */
export const testToken = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

const handlers: Record<string, (args: unknown) => Result<unknown>> = {
  echo: (args) => ok(args),
  fail: () => ({
    ok: false,
    error: { code: 'bag_not_found', message: formatError('bag_not_found', { code: 'X' }) },
  }),
};

export interface TestHost extends Host {
  calls: Array<{ method: string; args: unknown }>;
  events: EventEmitter;
  logs: string[];
}

export async function startTestHost(options: Partial<HostOptions> = {}): Promise<TestHost> {
  const calls: TestHost['calls'] = [];
  const events = new EventEmitter();
  const logs: string[] = [];
  const host = await createHost({
    port: 0,
    token: testToken,
    isMethod: (method) => Object.hasOwn(handlers, method),
    // Like the station's dispatcher: an unknown method is answered, and reaches no handler (nor `calls`).
    async dispatch(method, args) {
      const handler = handlers[method];
      if (!handler) return fail('unknown_method', { method: method.slice(0, 64) });
      calls.push({ method, args });
      return handler(args);
    },
    subscribe(listener) {
      events.on('station', listener);
      return () => events.off('station', listener);
    },
    health: () => ({ status: 'ok', version: APP_VERSION }),
    log: (line) => logs.push(line),
    ...options,
  });
  return { ...host, calls, events, logs };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * node:http rather than fetch, because fetch normalises `/../x` away and forbids setting Host: these tests need
 * to send exactly the bytes an attacker would.
 */
export function rawRequest(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    // The server may answer and hang up before the whole body is written (413): the answer is what counts.
    req.on('error', (error) => setTimeout(() => reject(error), 200));
    req.end(options.body);
  });
}

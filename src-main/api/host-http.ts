import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ErrorCode, ErrorParams } from '../../src-shared/errors.ts';
import { fail, type Result } from '../../src-shared/result.ts';

/** Sent with every response, static or JSON: the renderer may talk only to this station. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "media-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * HTTP status for each transport refusal. A domain refusal (any other code) is HTTP 200 with ok:false, because
 * the request itself was fine; the status says what went wrong with the request, the body says it in words.
 */
export const transportStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden_origin: 403,
  unknown_method: 404,
  payload_too_large: 413,
  internal: 500,
} as const satisfies Partial<Record<ErrorCode, number>>;

export type TransportCode = keyof typeof transportStatus;

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  code: TransportCode,
  params?: ErrorParams,
  headers?: OutgoingHttpHeaders,
): void {
  sendJson(res, transportStatus[code], fail(code, params), headers);
}

/** 405 has no code of its own in the catalogue: the body says bad_request, the Allow header says what works. */
export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, fail('bad_request'), { Allow: allow });
}

/**
 * The path of a request target, or undefined when it is not an origin-form path ("/..."): total, never throws,
 * whatever the bytes (`//[`, `http://[`, `//a:b@c:d`). The query is dropped; nothing here reads it.
 */
export function requestPath(target: string | undefined): string | undefined {
  const path = (target ?? '').split('?')[0]?.split('#')[0] ?? '';
  return path.startsWith('/') && !path.startsWith('//') ? path : undefined;
}

function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** DNS-rebinding guard: a page on evil.example resolved to 127.0.0.1 still sends Host: evil.example. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** No Origin (a non-browser client) or this station's own origin; 'null' and every other page are refused. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

/** Constant-time: both sides are hashed first, so neither the length nor a matching prefix leaks through timing. */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const matches = timingSafeEqual(digest(candidate ?? ''), digest(token));
  return candidate !== undefined && matches;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function declaresBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function isJsonContentType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Reads at most maxBytes and parses them as JSON (an empty body is undefined). Past the limit it stops reading
 * at once and answers payload_too_large; the caller closes the connection so the rest is never buffered.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: Result<unknown>) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(fail('payload_too_large', { limit: maxBytes }));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle(parseJson(Buffer.concat(chunks))));
    req.once('error', () => settle(fail('bad_request')));
    req.once('close', () => settle(fail('bad_request')));
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer): Result<unknown> {
  if (bytes.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) as unknown };
  } catch {
    return fail('bad_request');
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, type Result } from '../../src-shared/result.ts';
import {
  bearerToken,
  declaresBody,
  isAllowedOrigin,
  isJsonContentType,
  readJsonBody,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  transportStatus,
  tokenMatches,
} from './host-http.ts';

export interface ApiRoute {
  port: number;
  token: string;
  maxBodyBytes: number;
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
  isMethod(method: string): boolean;
  log(line: string): void;
}

/**
 * `POST /api/<method>`. Every transport check runs before dispatch, cheapest first, and the body is read only
 * once the caller is known to be allowed and the method to exist; a request refused here never reaches dispatch.
 */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  route: ApiRoute,
): Promise<void> {
  if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST');
  if (!isAllowedOrigin(req.headers.origin, route.port)) return sendError(res, 'forbidden_origin');
  if (!tokenMatches(bearerToken(req), route.token)) {
    return sendError(res, 'unauthorized', {}, { 'WWW-Authenticate': 'Bearer' });
  }
  const method = methodName(path) ?? path;
  // The dispatcher answers an unknown method; asked before the body, which is then never read.
  if (!route.isMethod(method)) {
    return sendJson(res, transportStatus.unknown_method, await dispatchSafely(route, method, undefined));
  }
  if (declaresBody(req) && !isJsonContentType(req.headers['content-type'])) {
    return sendError(res, 'bad_request', {}, { Connection: 'close' });
  }
  if (Number(req.headers['content-length'] ?? 0) > route.maxBodyBytes) {
    return refuseTooLarge(req, res, route.maxBodyBytes);
  }
  const body = await readJsonBody(req, route.maxBodyBytes);
  if (!body.ok) {
    if (body.error.code === 'payload_too_large') return refuseTooLarge(req, res, route.maxBodyBytes);
    return sendError(res, 'bad_request');
  }
  const result = await dispatchSafely(route, method, body.value);
  try {
    sendJson(res, 200, result);
  } catch (error) {
    route.log(`api: result of ${method} is not JSON: ${String(error)}`);
    sendError(res, 'internal', { detail: 'the answer could not be sent' });
  }
}

/** Answers 413, then drops the connection so the unread rest of the body is discarded by the kernel, not read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  res.once('finish', () => req.socket.destroySoon());
  sendError(res, 'payload_too_large', { limit }, { Connection: 'close' });
}

function methodName(path: string): string | undefined {
  const raw = path.slice('/api/'.length);
  if (raw === '' || raw.includes('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** dispatch promises never to throw; the host still turns a broken promise into a Result rather than a crash. */
export async function dispatchSafely(
  route: Pick<ApiRoute, 'dispatch' | 'log'>,
  method: string,
  args: unknown,
): Promise<Result<unknown>> {
  try {
    return await route.dispatch(method, args);
  } catch (error) {
    route.log(`api: dispatch of ${method} threw: ${String(error)}`);
    return fail('internal', { detail: 'the request failed unexpectedly' });
  }
}

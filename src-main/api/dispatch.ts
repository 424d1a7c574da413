import { isMethodName, methodSchemas } from '../../src-shared/contract.ts';
import { handlers } from './handlers.ts';
import { formatError, StationError } from '../../src-shared/errors.ts';
import type { Result } from '../../src-shared/result.ts';
import type { Station } from '../app/station.ts';

export interface Dispatcher {
  isMethod(method: string): boolean;
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
}

/**
 * Validates, runs and wraps: the only place a thrown error becomes a Result. Every transport calls this.
 * A refused or invalid call changes nothing: validation runs before the handler, and each handler's writes
 * are one transaction.
 */
/** A field refused for a control or invisible character (contract.ts `plain`) gets its own sentence. */
function unsafeTextError(issues: { path: PropertyKey[]; params?: Record<string, unknown> }[]) {
  const issue = issues.find((i) => i.params?.errorCode === 'unsafe_text');
  if (!issue) return null;
  const params = {
    field: issue.path.map(String).join('.'),
    char: String(issue.params!.char),
    position: Number(issue.params!.position),
  };
  return { code: 'unsafe_text' as const, message: formatError('unsafe_text', params), params };
}

export function createDispatcher(station: Station, log: (line: string) => void = () => {}): Dispatcher {
  return {
    isMethod: isMethodName,
    async dispatch(method, args) {
      if (!isMethodName(method)) {
        return {
          ok: false,
          error: {
            code: 'unknown_method',
            message: formatError('unknown_method', { method: method.slice(0, 64) }),
          },
        };
      }
      const parsed = methodSchemas[method].safeParse(args ?? {});
      if (!parsed.success) {
        const unsafe = unsafeTextError(parsed.error.issues);
        if (unsafe) return { ok: false, error: unsafe };
        const detail = parsed.error.issues
          .slice(0, 3)
          .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
          .join('; ');
        return {
          ok: false,
          error: { code: 'invalid_input', message: formatError('invalid_input', { detail }) },
        };
      }
      const damage = station.damage();
      if (damage)
        return { ok: false, error: { code: damage.code, message: damage.message, params: damage.params } };
      try {
        const run = handlers[method] as (s: Station, a: unknown) => unknown;
        return { ok: true, value: (await run(station, parsed.data)) ?? null };
      } catch (e) {
        if (e instanceof StationError) {
          return { ok: false, error: { code: e.code, message: e.message, params: e.params } };
        }
        const detail = e instanceof Error ? e.message : String(e);
        const stored = station.storeError(e);
        if (stored) {
          log(`${method} failed: ${detail}`);
          return { ok: false, error: { code: stored.code, message: stored.message, params: stored.params } };
        }
        log(`internal error in ${method}: ${detail}`);
        return { ok: false, error: { code: 'internal', message: formatError('internal', { detail }) } };
      }
    },
  };
}

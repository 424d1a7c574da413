import { isMethodName, methodSchemas } from '../../src-shared/contract.ts';
import { handlers } from './handlers.ts';
import { StationError } from '../../src-shared/errors.ts';
import { fail, failWith, type Result } from '../../src-shared/result.ts';
import type { Station } from '../app/station.ts';

export interface Dispatcher {
  /** Whether the contract has this method: the HTTP host asks before reading a body (dispatch answers the refusal). */
  isMethod(method: string): boolean;
  dispatch(method: string, args: unknown): Promise<Result<unknown>>;
}

/** A field refused for a control or invisible character (contract.ts `plain`) gets its own sentence. */
function unsafeTextError(issues: { path: PropertyKey[]; params?: Record<string, unknown> }[]) {
  const issue = issues.find((i) => i.params?.errorCode === 'unsafe_text');
  if (!issue) return null;
  const params = {
    field: issue.path.map(String).join('.'),
    char: String(issue.params!.char),
    position: Number(issue.params!.position),
  };
  return fail('unsafe_text', params);
}

/**
 * Validates, runs and wraps: the only place a thrown error becomes a Result. Every transport calls this.
 * A refused or invalid call changes nothing: validation runs before the handler, and each handler's writes
 * are one transaction.
 */
export function createDispatcher(station: Station, log: (line: string) => void = () => {}): Dispatcher {
  return {
    isMethod: isMethodName,
    async dispatch(method, args) {
      // The one unknown-method check of the main process (the preload makes its own, at the untrusted edge).
      if (!isMethodName(method)) return fail('unknown_method', { method: method.slice(0, 64) });
      const parsed = methodSchemas[method].safeParse(args ?? {});
      if (!parsed.success) {
        const unsafe = unsafeTextError(parsed.error.issues);
        if (unsafe) return unsafe;
        const detail = parsed.error.issues
          .slice(0, 3)
          .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
          .join('; ');
        return fail('invalid_input', { detail });
      }
      const damage = station.damage();
      if (damage) return failWith(damage);
      try {
        const run = handlers[method] as (s: Station, a: unknown) => unknown;
        return { ok: true, value: (await run(station, parsed.data)) ?? null };
      } catch (e) {
        if (e instanceof StationError) return failWith(e);
        const detail = e instanceof Error ? e.message : String(e);
        const stored = station.storeError(e);
        if (stored) {
          log(`${method} failed: ${detail}`);
          return failWith(stored);
        }
        log(`internal error in ${method}: ${detail}`);
        return fail('internal', { detail });
      }
    },
  };
}

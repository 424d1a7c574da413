import type { ErrorCode } from './errors.ts';

/** What crosses every process boundary: never a thrown Error, always this shape. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

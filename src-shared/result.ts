import type { ErrorCode, ErrorParams } from './errors.ts';

/** What crosses every process boundary: never a thrown Error, always this shape. */
/** params: the values in the sentence, so a screen can say it again in another language. */
export type Result<T> =
  { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; params?: ErrorParams } };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

import { formatError, type ErrorCode, type ErrorParams, type StationError } from './errors.ts';

/**
 * What crosses every process boundary: never a thrown Error, always this shape. params: the values in the
 * sentence, so a screen can say it again in another language.
 */
export type Result<T> = { ok: true; value: T } | Failure;
export type Failure = { ok: false; error: { code: ErrorCode; message: string; params?: ErrorParams } };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** The one way to build a refusal: the catalogue's code, its sentence filled in, and the values in it (if any). */
export function fail(code: ErrorCode, params?: ErrorParams): Failure {
  const error = { code, message: formatError(code, params) };
  return { ok: false, error: params && Object.keys(params).length > 0 ? { ...error, params } : error };
}

/** A refusal thrown inside the station (a rule, the disk, a damaged file) as a Result. */
export function failWith(error: StationError): Failure {
  return fail(error.code, error.params);
}

import type { PortClock } from '../scanner/port.ts';
import type { ScaleParams, ScaleRefusalCode } from './codes.ts';
import type { WeighResult } from './reader.ts';
import type { ScaleReading } from './reading.ts';

export interface WeighingWaitOptions {
  minKg: number;
  maxKg: number;
  /** The values every refusal's sentence needs (path, minKg, maxKg, seconds). */
  params: ScaleParams;
  clock: PortClock;
  timeoutMs: number;
  /** The load on the scale is an earlier bag: a weight counts only after the scale showed minKg or less (emptied). */
  emptyFirst: boolean;
  signal?: AbortSignal | undefined;
  accept: (reading: ScaleReading, at: number) => WeighResult;
  done: (result: WeighResult) => void;
}

/**
 * An overload that lasts this long is refused; a shorter one is the jolt of a bag dropped onto the platform,
 * which a scale may report for a moment before it settles.
 */
export const OVERLOAD_HOLD_MS = 1000;

/** Errors a scale repeats to every request: waiting longer cannot help, so they refuse at once. */
const LASTING_ERRORS = new Set(['syntax_error', 'logical_error']);

/** The reading shows a load on the scale: a weight above minKg and above zero (stable or still settling). */
export function isLoad(reading: ScaleReading, minKg: number): boolean {
  return reading.kg !== undefined && reading.kg > minKg && reading.kg > 0;
}

/**
 * One weighing: takes readings until one settles it, and settles exactly once (a reading, the deadline, the port
 * or the signal, whichever comes first). What a refusal at the deadline says follows the last reading seen.
 */
export class WeighingWait {
  private last: ScaleReading | undefined;
  private settled = false;
  private emptied: boolean;
  private overloadSince: number | undefined;
  private readonly timer: unknown;
  private readonly onAbort = (): void => this.refuse('scale_cancelled');

  constructor(private readonly options: WeighingWaitOptions) {
    this.emptied = !options.emptyFirst;
    this.timer = options.clock.setTimeout(() => this.deadline(), options.timeoutMs);
    // The caller refuses a wait whose signal is already aborted: done() must not run inside the constructor.
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  take(reading: ScaleReading, at: number): void {
    if (this.settled) return;
    const { minKg, maxKg } = this.options;
    this.last = reading;
    if (reading.kind === 'overload') {
      this.overloadSince ??= at;
      if (at - this.overloadSince >= OVERLOAD_HOLD_MS) this.refuse('scale_overload');
      return;
    }
    this.overloadSince = undefined;
    if (reading.kind === 'error' && LASTING_ERRORS.has(reading.problem ?? ''))
      return this.refuse('scale_error', { problem: reading.problem ?? 'unreadable' });
    if (reading.kind !== 'stable' || reading.kg === undefined) return;
    // A bag weighs more than the minimum (and more than nothing): at or under it the scale is empty.
    if (!isLoad(reading, minKg)) {
      this.emptied = true;
      return;
    }
    if (reading.kg > maxKg) return this.refuse('scale_out_of_range', { kg: reading.kg });
    // Still the bag weighed last time: waiting for it to be taken off and this one put on.
    if (!this.emptied) return;
    this.settle(this.options.accept(reading, at));
  }

  portLost(params: ScaleParams): void {
    this.refuse('scale_unplugged', params);
  }

  cancel(): void {
    this.refuse('scale_cancelled');
  }

  private deadline(): void {
    const last = this.last;
    if (last?.kind === 'stable' && isLoad(last, this.options.minKg) && !this.emptied)
      return this.refuse('scale_not_emptied', { kg: last.kg ?? 0 });
    if (!last) return this.refuse('scale_timeout');
    if (last.kind === 'stable') return this.refuse('scale_no_bag');
    if (last.kind === 'unstable') return this.refuse('scale_unstable_timeout');
    if (last.kind === 'underload') return this.refuse('scale_underload');
    if (last.kind === 'overload') return this.refuse('scale_overload');
    this.refuse('scale_error', { problem: last.problem ?? 'unreadable' });
  }

  private refuse(code: ScaleRefusalCode, extra: ScaleParams = {}): void {
    const refusal: Extract<WeighResult, { ok: false }>['refusal'] = {
      code,
      params: { ...this.options.params, ...extra },
    };
    if (this.last) refusal.last = this.last;
    this.settle({ ok: false, refusal });
  }

  private settle(result: WeighResult): void {
    if (this.settled) return;
    this.settled = true;
    this.options.clock.clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.options.done(result);
  }
}

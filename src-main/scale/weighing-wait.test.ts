import { describe, expect, it } from 'vitest';
import type { PortClock } from '../scanner/port.ts';
import type { WeighResult } from './reader.ts';
import type { ScaleReading } from './reading.ts';
import { WeighingWait } from './weighing-wait.ts';

/** A clock whose timers run only when the test moves time on. */
function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 1;
  const clock: PortClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > now) continue;
      timers.delete(id);
      timer.run();
    }
  };
  return { clock, advance, pending: () => timers.size };
}

function weighing(options: { minKg?: number; maxKg?: number; emptyFirst?: boolean } = {}) {
  const { clock, advance, pending } = fakeClock();
  const results: WeighResult[] = [];
  const wait = new WeighingWait({
    minKg: options.minKg ?? 5,
    maxKg: options.maxKg ?? 100,
    params: { path: '/dev/ttyS0', minKg: options.minKg ?? 5, maxKg: options.maxKg ?? 100, seconds: 10 },
    clock,
    timeoutMs: 10_000,
    emptyFirst: options.emptyFirst ?? false,
    accept: (reading) => ({
      ok: true,
      weight: { kg: reading.kg!, raw: reading.raw, at: 0, path: '/dev/ttyS0' },
    }),
    done: (result) => results.push(result),
  });
  return { wait, advance, results, pending };
}

const reading = (kind: ScaleReading['kind'], extra: Partial<ScaleReading> = {}): ScaleReading => ({
  kind,
  raw: kind,
  ...extra,
});
const codes = (results: WeighResult[]) => results.map((r) => (r.ok ? r.weight.kg : r.refusal.code));

describe('WeighingWait', () => {
  it('takes the first stable reading in range and settles once', () => {
    const { wait, advance, results, pending } = weighing();
    wait.take(reading('stable', { kg: 2 }), 0);
    wait.take(reading('unstable', { kg: 29 }), 0);
    wait.take(reading('stable', { kg: 29.4 }), 0);
    wait.take(reading('stable', { kg: 30 }), 0);
    wait.portLost({ path: '/dev/ttyS0' });
    advance(20_000);
    expect(codes(results)).toEqual([29.4]);
    expect(pending()).toBe(0);
  });

  it.each<[string, ScaleReading[], string]>([
    ['nothing came', [], 'scale_timeout'],
    ['only an empty scale', [reading('stable', { kg: 0.1 })], 'scale_no_bag'],
    [
      'still wobbling',
      [reading('stable', { kg: 0 }), reading('unstable', { kg: 28 })],
      'scale_unstable_timeout',
    ],
    ['busy (S I)', [reading('unstable', { problem: 'busy' })], 'scale_unstable_timeout'],
    ['under zero', [reading('underload')], 'scale_underload'],
    ['garbled', [reading('error', { problem: 'transmission_error' })], 'scale_error'],
  ])('at the deadline, %s: %s', (_, readings, code) => {
    const { wait, advance, results } = weighing();
    for (const r of readings) wait.take(r, 0);
    advance(9_999);
    expect(results).toEqual([]);
    advance(1);
    expect(codes(results)).toEqual([code]);
  });

  it.each<[string, ScaleReading, string]>([
    ['a stable weight above maxKg', reading('stable', { kg: 150 }), 'scale_out_of_range'],
    ['ES', reading('error', { problem: 'syntax_error' }), 'scale_error'],
    ['EL', reading('error', { problem: 'logical_error' }), 'scale_error'],
  ])('refuses %s at once', (_, r, code) => {
    const { wait, results } = weighing();
    wait.take(r, 0);
    expect(codes(results)).toEqual([code]);
    expect(results[0]).toMatchObject({ ok: false, refusal: { last: r, params: { path: '/dev/ttyS0' } } });
  });

  it('refuses an overload that lasts a second, not the jolt of a bag dropped on the scale', () => {
    const { wait, advance, results } = weighing();
    wait.take(reading('overload'), 0);
    wait.take(reading('overload'), 600);
    wait.take(reading('unstable', { kg: 31 }), 700);
    wait.take(reading('overload'), 1200);
    wait.take(reading('overload'), 2100);
    expect(results).toEqual([]);
    wait.take(reading('overload'), 2200);
    expect(codes(results)).toEqual(['scale_overload']);

    const late = weighing();
    late.wait.take(reading('overload'), 9_900);
    late.advance(10_000);
    expect(codes(late.results)).toEqual(['scale_overload']);
    advance(20_000);
    expect(results).toHaveLength(1);
  });

  it('after a weighing took a bag, waits for the scale to be emptied before it takes a weight', () => {
    const { wait, results } = weighing({ emptyFirst: true });
    wait.take(reading('stable', { kg: 29.4 }), 0);
    wait.take(reading('unstable', { kg: 12 }), 0);
    expect(results).toEqual([]);
    wait.take(reading('stable', { kg: 0.02 }), 0);
    wait.take(reading('stable', { kg: 31 }), 0);
    expect(codes(results)).toEqual([31]);
  });

  it('says scale_not_emptied at the deadline when the last bag stayed on the scale', () => {
    const { wait, advance, results } = weighing({ emptyFirst: true });
    wait.take(reading('stable', { kg: 29.4 }), 0);
    advance(10_000);
    expect(results[0]).toMatchObject({
      ok: false,
      refusal: { code: 'scale_not_emptied', params: { kg: 29.4 } },
    });
  });

  it('takes only a weight above the minimum and above zero: at it, or 0.00 with minimum 0, the scale is empty', () => {
    const at = weighing({ minKg: 5, emptyFirst: true });
    at.wait.take(reading('stable', { kg: 5 }), 0);
    at.wait.take(reading('stable', { kg: 5.01 }), 0);
    expect(codes(at.results)).toEqual([5.01]);
    const zero = weighing({ minKg: 0 });
    zero.wait.take(reading('stable', { kg: 0 }), 0);
    zero.advance(10_000);
    expect(codes(zero.results)).toEqual(['scale_no_bag']);
  });

  it('says what the scale showed and the range when out of range', () => {
    const { wait, results } = weighing({ maxKg: 60 });
    wait.take(reading('stable', { kg: 61.5 }), 0);
    expect(results[0]).toMatchObject({ ok: false, refusal: { params: { kg: 61.5, minKg: 5, maxKg: 60 } } });
  });
});

import { describe, expect, it } from 'vitest';
import { progressLine, throttled } from './progress.ts';
import type { SyncProgress } from '../../src-shared/sync-status.ts';

const bags = (done: number): SyncProgress => ({ step: 'loading', entity: 'bags', done, total: 2_000_000 });

describe('sync progress for a terminal', () => {
  it('reads as a short line', () => {
    expect(progressLine(bags(1_200_000))).toBe('loading bags 1.2M of 2.0M (60%)');
    expect(progressLine({ step: 'pulling', entity: 'changes', done: 12_345, total: null })).toBe(
      'pulling changes 12k',
    );
  });

  it('is thinned out, but the start of each step or entity and the end always show', () => {
    let t = 0;
    const seen: string[] = [];
    const listen = throttled(
      (p) => seen.push(progressLine(p)),
      1000,
      () => t,
    );
    t = 5_000;
    listen(bags(0));
    listen(bags(100)); // same instant: left out
    listen({ step: 'loading', entity: 'links', done: 0, total: null }); // a new entity: shown
    listen({ step: 'loading', entity: 'links', done: 10, total: null }); // left out
    listen(bags(2_000_000)); // the end: shown
    t = 6_500;
    listen(bags(2_000_000));
    expect(seen).toEqual([
      'loading bags 0 of 2.0M (0%)',
      'loading links 0',
      'loading bags 2.0M of 2.0M (100%)',
      'loading bags 2.0M of 2.0M (100%)',
    ]);
  });
});

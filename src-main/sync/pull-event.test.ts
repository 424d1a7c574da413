import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { child } from '../testing/test-station.ts';
import { twoStations, type TwoStations } from './testing/stations.ts';

/**
 * Review finding F5: links another station changed reach the open screens once a pull brings them. The real sync
 * worker (a thread, as `baglink serve` runs it) pulls the centre's changes into station B, and B emits
 * onLinksChanged with cause "pull", so every scan screen reads its state again.
 */
describe('a pull that brings changes tells the screens', () => {
  let t: TwoStations;

  beforeEach(async () => {
    t = await twoStations();
  });

  afterEach(async () => {
    await t.b.station.stopSync();
    await t.dispose();
  });

  it('station B emits onLinksChanged (pull) once its worker applied station A’s links', async () => {
    const { a, b } = t;
    const events: unknown[] = [];
    b.station.subscribe((name, payload) => {
      if (name === 'onLinksChanged') events.push(payload);
    });
    await a.scan('SB00011');
    await a.scan(child(1));
    await a.scan(child(2));
    expect((await a.engine.cycle()).pushed).toBeGreaterThan(0);

    expect(b.station.sync.start({ intervalMs: 100 })).toBe(true);
    await expect.poll(() => b.rows('links', 'removed_at is null'), { timeout: 30_000, interval: 50 }).toBe(2);
    await expect.poll(() => events, { timeout: 30_000, interval: 50 }).toContainEqual({ cause: 'pull' });
  });
});

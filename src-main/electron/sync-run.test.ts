import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startSyncRun, type SyncRunStation } from './sync-run.ts';
import { supervise } from './supervisor.ts';

/** A station whose sync worker the test starts, crashes and stops, with the same events the real one sends. */
function stationWithSync(enrolled = true) {
  const events = new EventEmitter();
  const calls: string[] = [];
  const station: SyncRunStation & { crash(message: string): void; calls: string[] } = {
    calls,
    sync: {
      start: () => {
        calls.push('start');
        return enrolled;
      },
      stop: async () => void calls.push('stop'),
    },
    subscribe: (listener) => {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    crash: (message) => events.emit('event', 'onSyncState', { state: 'stopped', lastError: message }),
  };
  return { station, events };
}

describe('sync worker under the supervisor', () => {
  it('restarts the worker after it dies, and stops it for good on shutdown', async () => {
    const { station, events } = stationWithSync();
    const log: string[] = [];
    const timers: (() => void)[] = [];
    const supervisor = supervise({
      name: 'sync',
      start: () => startSyncRun(station, (l) => log.push(l)),
      log: (l) => log.push(l),
      random: () => 1,
      setTimer: (fn) => {
        timers.push(fn);
        return { cancel() {} };
      },
    });
    events.emit('event', 'onSyncState', { state: 'syncing' });
    expect(station.calls).toEqual(['start']);
    station.crash('The sync worker stopped: out of memory');
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([
      'sync: stopped (code null, The sync worker stopped: out of memory); restarting in 1000 ms',
    ]);
    timers[0]!();
    expect(station.calls).toEqual(['start', 'stop', 'start']);
    await supervisor.stop();
    station.crash('after stop');
    await new Promise((r) => setImmediate(r));
    expect(station.calls).toEqual(['start', 'stop', 'start', 'stop']);
    expect(timers).toHaveLength(1);
  });

  it('says so for a station that has not joined a centre, and stops it on shutdown', async () => {
    const { station } = stationWithSync(false);
    const log: string[] = [];
    const run = startSyncRun(station, (l) => log.push(l));
    await run.stop();
    expect(log[0]).toMatch(/has not joined a centre/);
    // Stopped on shutdown: the station follows central.json until then (a join while it serves starts the
    // worker).
    expect(station.calls).toEqual(['start', 'stop']);
  });

  it('watches the worker a join starts on a station that had not joined: its death ends the run', async () => {
    // (Before a station followed central.json, a run for a station not joined never ended: there was nothing
    // to watch until the app restarted.)
    const { station } = stationWithSync(false);
    const run = startSyncRun(station, () => undefined);
    station.crash('The sync worker stopped: out of memory');
    expect(await run.ended).toEqual({ code: null, reason: 'The sync worker stopped: out of memory' });
    expect(station.calls).toEqual(['start', 'stop']);
  });
});

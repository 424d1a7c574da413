import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PtyPair } from '../scanner/pty-pair.ts';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import type { ScaleConfig } from './config.ts';
import type { ScaleReading } from './reading.ts';
import type { ScalePortStatus } from './scale-port.ts';
import { ScaleReader } from './reader.ts';
import type { ScaleSim, ScaleSimOptions } from './sim.ts';
import { startScaleSim } from './sim.ts';
import { toKg } from './units.ts';

// Real serialport on socat ptys, the scale played by the simulator. Waits are on conditions with generous limits.
const WAIT = { timeout: 20_000, interval: 25 };
const fastReconnect = { backoffBaseMs: 50, backoffCapMs: 400, pollMs: 200 };

let dir: string;
const readers: ScaleReader[] = [];
const sims: ScaleSim[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-scale-'));
});

afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  await stopAllPtyPairs();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startReader(pair: PtyPair, config: Partial<ScaleConfig> & Pick<ScaleConfig, 'protocol'>) {
  const readings: ScaleReading[] = [];
  const states: ScalePortStatus[] = [];
  const made = ScaleReader.create(
    { path: pair.station, name: 'Dock scale', pollMs: 100, ...config },
    { onReading: (reading) => readings.push(reading), onStatus: (status) => states.push(status) },
    fastReconnect,
  );
  if (!made.ok) throw new Error(made.problem.code);
  const reader = made.reader;
  readers.push(reader);
  reader.start();
  await vi.waitFor(() => expect(reader.status.state).toBe('ready'), WAIT);
  return { reader, readings, states };
}

async function sim(pair: PtyPair, options: Partial<ScaleSimOptions> & Pick<ScaleSimOptions, 'protocol'>) {
  const started = await startScaleSim({
    port: pair.scanner,
    kg: 29.4,
    unstableMs: 0,
    overload: false,
    unit: 'kg',
    ...options,
  });
  sims.push(started);
  return started;
}

describe('ScaleReader on real ptys with the scale simulator', () => {
  it.each([
    ['sics', 'kg', {}],
    ['sics', 'lb', { sicsCommand: 'S' }],
    ['continuous', 'kg', {}],
    ['continuous', 'g', { checksum: true }],
    ['ascii', 'kg', {}],
    ['ascii', 'lb', {}],
  ] as const)('takes a stable %s reading in %s (%j)', async (protocol, unit, extra) => {
    const pair = await startPtyPair(dir);
    await sim(pair, { protocol, unit, checksum: 'checksum' in extra });
    const { reader } = await startReader(pair, { protocol, ...extra });
    const result = await reader.waitForStable({ minKg: 5, timeoutMs: 10_000 });
    if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
    // The simulator shows the weight in its unit with its display's resolution (0.1 lb, 0.01 kg, 1 g).
    expect(Math.abs(result.weight.kg - 29.4)).toBeLessThanOrEqual(unit === 'lb' ? toKg(0.05, 'lb') : 0.005);
    expect(result.weight).toMatchObject({ path: pair.station, name: 'Dock scale' });
    expect(result.weight.raw.length).toBeGreaterThan(0);
  });

  it.each(['sics', 'continuous', 'ascii'] as const)(
    '%s: waits while the load wobbles and takes it once it settles',
    async (protocol) => {
      const pair = await startPtyPair(dir);
      const scale = await sim(pair, { protocol });
      const { reader, readings } = await startReader(pair, { protocol });
      scale.set({ unstableMs: 1500 });
      const result = await reader.waitForStable({ minKg: 5, timeoutMs: 15_000 });
      expect(result).toMatchObject({ ok: true, weight: { kg: 29.4 } });
      expect(readings.some((r) => r.kind === 'unstable')).toBe(true);
    },
  );

  it.each(['sics', 'continuous', 'ascii'] as const)(
    '%s: refuses a load still wobbling at the deadline as scale_unstable_timeout',
    async (protocol) => {
      const pair = await startPtyPair(dir);
      const { reader } = await startReader(pair, { protocol });
      await sim(pair, { protocol, unstableMs: 600_000 });
      const result = await reader.waitForStable({ minKg: 5, timeoutMs: 1500 });
      expect(result).toMatchObject({
        ok: false,
        refusal: { code: 'scale_unstable_timeout', params: { path: pair.station, seconds: 1.5 } },
      });
      if (!result.ok) expect(result.refusal.last?.kind).toBe('unstable');
    },
  );

  it.each(['sics', 'continuous', 'ascii'] as const)(
    '%s: refuses an overload that lasts',
    async (protocol) => {
      const pair = await startPtyPair(dir);
      await sim(pair, { protocol, overload: true });
      const { reader } = await startReader(pair, { protocol });
      const started = Date.now();
      const result = await reader.waitForStable({ minKg: 5, timeoutMs: 15_000 });
      expect(result).toMatchObject({ ok: false, refusal: { code: 'scale_overload' } });
      expect(Date.now() - started).toBeLessThan(5000);
    },
  );

  it.each(['sics', 'continuous', 'ascii'] as const)(
    '%s: refuses a stable weight above maxKg as scale_out_of_range',
    async (protocol) => {
      const pair = await startPtyPair(dir);
      await sim(pair, { protocol, kg: 150 });
      const { reader } = await startReader(pair, { protocol, maxKg: 100 });
      const result = await reader.waitForStable({ minKg: 5, timeoutMs: 10_000 });
      expect(result).toMatchObject({
        ok: false,
        refusal: { code: 'scale_out_of_range', params: { kg: 150, minKg: 5, maxKg: 100 } },
      });
    },
  );

  it('says scale_timeout when the scale sends nothing (switched off, or another protocol)', async () => {
    const pair = await startPtyPair(dir);
    const { reader } = await startReader(pair, { protocol: 'continuous' });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 1000 })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_timeout', params: { path: pair.station, seconds: 1 } },
    });
  });

  it('waits past an empty scale for the bag, and says scale_no_bag when none comes', async () => {
    const pair = await startPtyPair(dir);
    const scale = await sim(pair, { protocol: 'sics', kg: 0 });
    const { reader } = await startReader(pair, { protocol: 'sics' });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 1000 })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_no_bag', params: { minKg: 5 } },
    });
    const waiting = reader.waitForStable({ minKg: 5, timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
    scale.set({ kg: 29.4, unstableMs: 300 });
    expect(await waiting).toMatchObject({ ok: true, weight: { kg: 29.4 } });
  });

  it('does not weigh the bag left on the scale again for the next parent, unless asked to', async () => {
    const pair = await startPtyPair(dir);
    const scale = await sim(pair, { protocol: 'sics' });
    const { reader } = await startReader(pair, { protocol: 'sics' });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 10_000 })).toMatchObject({ ok: true });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 1000 })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_not_emptied', params: { kg: 29.4 } },
    });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 10_000, sameBag: true })).toMatchObject({
      ok: true,
    });
    const next = reader.waitForStable({ minKg: 5, timeoutMs: 15_000 });
    scale.set({ kg: 0 });
    await vi.waitFor(() => expect(reader.latest?.reading.kg).toBe(0), WAIT);
    scale.set({ kg: 27.9, unstableMs: 300 });
    expect(await next).toMatchObject({ ok: true, weight: { kg: 27.9 } });
  });

  it('with bags named, waits past a load found at start or put on after a refusal, and weighs it again only for its own bag', async () => {
    const pair = await startPtyPair(dir);
    const scale = await sim(pair, { protocol: 'sics', kg: 29.4 }); // left on the scale before the start
    const { reader } = await startReader(pair, { protocol: 'sics' });
    await vi.waitFor(() => expect(reader.latest?.reading.kg).toBe(29.4), WAIT);
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 800, bag: 'A' })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_not_emptied' },
    });
    scale.set({ kg: 0 });
    await vi.waitFor(() => expect(reader.latest?.reading.kg).toBe(0), WAIT);
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 500, bag: 'A' })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_no_bag' },
    });
    scale.set({ kg: 27.9 }); // A's bag, late
    await vi.waitFor(() => expect(reader.latest?.reading.kg).toBe(27.9), WAIT);
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 800, bag: 'B' })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_not_emptied' },
    });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 800, bag: 'B', sameBag: true })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_not_emptied' },
    });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 5000, bag: 'A', sameBag: true })).toMatchObject({
      ok: true,
      weight: { kg: 27.9 },
    });
  });

  it('reads a 7E1 port (7 data bits, even parity)', async () => {
    const pair = await startPtyPair(dir);
    const framing = { dataBits: 7, parity: 'even', stopBits: 1 } as const;
    const { reader } = await startReader(pair, { protocol: 'continuous', ...framing });
    await sim(pair, { protocol: 'continuous', framing: { baudRate: 9600, ...framing } });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 10_000 })).toMatchObject({ ok: true });
  });

  it('resolves a cancelled weighing as scale_cancelled', async () => {
    const pair = await startPtyPair(dir);
    const { reader } = await startReader(pair, { protocol: 'sics' });
    await sim(pair, { protocol: 'sics', unstableMs: 600_000 });
    const controller = new AbortController();
    const waiting = reader.waitForStable({ minKg: 5, timeoutMs: 15_000, signal: controller.signal });
    controller.abort();
    expect(await waiting).toMatchObject({ ok: false, refusal: { code: 'scale_cancelled' } });
    controller.abort();
    expect(await reader.waitForStable({ signal: controller.signal })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_cancelled' },
    });
  });

  it('says why the port is not ready: absent at start, then busy with another program', async () => {
    const station = path.join(dir, 'station');
    const made = ScaleReader.create({ path: station, protocol: 'sics' }, {}, fastReconnect);
    if (!made.ok) throw new Error(made.problem.code);
    readers.push(made.reader);
    made.reader.start();
    await vi.waitFor(
      () =>
        expect(made.reader.status).toEqual({
          state: 'reconnecting',
          problem: { code: 'scale_unplugged', params: { path: station } },
        }),
      WAIT,
    );
    const pair = await startPtyPair(dir);
    await vi.waitFor(() => expect(made.reader.status).toEqual({ state: 'ready' }), WAIT);

    const other = ScaleReader.create({ path: pair.station, protocol: 'sics' }, {}, fastReconnect);
    if (!other.ok) throw new Error(other.problem.code);
    readers.push(other.reader);
    other.reader.start();
    await vi.waitFor(() => expect(other.reader.status.problem?.code).toBe('scale_port_busy'), WAIT);
    expect(other.reader.status.state).toBe('reconnecting');
  });

  it('refuses a weighing as scale_unplugged when the scale goes, reconnects by itself and weighs again', async () => {
    const first = await startPtyPair(dir);
    const { reader, states } = await startReader(first, { protocol: 'sics' });
    await sim(first, { protocol: 'sics', unstableMs: 600_000 });
    const waiting = reader.waitForStable({ minKg: 5, timeoutMs: 20_000 });
    await vi.waitFor(() => expect(reader.latest?.reading.kind).toBe('unstable'), WAIT);
    await first.unplug();
    expect(await waiting).toMatchObject({ ok: false, refusal: { code: 'scale_unplugged' } });
    await vi.waitFor(() => expect(reader.status.state).toBe('reconnecting'), WAIT);
    expect(states.map((s) => s.state)).toContain('lost');
    expect(reader.status.problem).toEqual({ code: 'scale_unplugged', params: { path: first.station } });
    // While it is away, a weighing is refused at once.
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 20_000 })).toMatchObject({
      ok: false,
      refusal: { code: 'scale_unplugged' },
    });

    const second = await startPtyPair(dir);
    await vi.waitFor(() => expect(reader.status.state).toBe('ready'), WAIT);
    expect(reader.status.problem).toBeUndefined();
    await sim(second, { protocol: 'sics', kg: 31.2 });
    expect(await reader.waitForStable({ minKg: 5, timeoutMs: 10_000 })).toMatchObject({
      ok: true,
      weight: { kg: 31.2 },
    });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScannerRead, ScannerState } from '../../src-shared/scanners.ts';
import { ScannerHub } from './hub.ts';
import type { ScannerPortConfig } from './port.ts';
import type { SimTerminator } from './sim.ts';
import { runScanSim } from './sim.ts';
import type { PtyPair } from './pty-pair.ts';
import { startPtyPair, stopAllPtyPairs } from './pty-pair.ts';

// Real serialport on socat ptys. Waits are on conditions with generous limits, never on timings.
const WAIT = { timeout: 20_000, interval: 25 };
const fastReconnect = { backoffBaseMs: 50, backoffCapMs: 400, pollMs: 200 };

let dir: string;
let hub: ScannerHub | undefined;
const openPorts: SerialPort[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-scanner-'));
});

afterEach(async () => {
  await hub?.stop();
  hub = undefined;
  await Promise.all(
    openPorts.splice(0).map((p) => new Promise<void>((r) => (p.isOpen ? p.close(() => r()) : r()))),
  );
  await stopAllPtyPairs();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startHub(
  config: Partial<ScannerPortConfig> & { path: string },
  judge = (_read: ScannerRead) => true,
) {
  const reads: ScannerRead[] = [];
  const states: ScannerState[] = [];
  hub = new ScannerHub({
    ports: [{ name: 'Dock 1', ...config }],
    onRead: async (read) => {
      reads.push(read);
      return { good: judge(read) };
    },
    onState: (state) => states.push(state),
    portDeps: fastReconnect,
  });
  hub.start();
  return { hub, reads, states };
}

async function openScannerSide(file: string): Promise<SerialPort> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p: SerialPort = new SerialPort({ path: file, baudRate: 9600, lock: false }, (e) =>
      e ? reject(e) : resolve(p),
    );
  });
  openPorts.push(port);
  return port;
}

const write = (port: SerialPort, bytes: string | Buffer): Promise<void> =>
  new Promise((resolve, reject) => port.write(bytes, (e) => (e ? reject(e) : port.drain(() => resolve()))));

async function ready(pair: PtyPair, config: Partial<ScannerPortConfig> = {}) {
  const started = startHub({ path: pair.station, ...config });
  await vi.waitFor(() => expect(started.hub.list()[0]?.state).toBe('ready'), WAIT);
  return started;
}

describe('ScannerHub on real ptys', () => {
  it.each<[SimTerminator, number | undefined]>([
    ['cr', undefined],
    ['lf', undefined],
    ['crlf', undefined],
    ['tab', 3],
    ['none', 3],
  ])('reads codes ended by %s, written by the scan simulator', async (terminator, ratePerSecond) => {
    const pair = await startPtyPair(dir);
    const { reads } = await ready(pair);
    const codes = ['BAG001', ']Q1BAG002', 'BAG003'];
    const written = await runScanSim({
      port: pair.scanner,
      codes,
      terminator,
      ...(ratePerSecond ? { ratePerSecond } : {}),
    });
    expect(written).toBe(3);
    await vi.waitFor(() => expect(reads).toHaveLength(3), WAIT);
    expect(reads.map((r) => r.code)).toEqual(['BAG001', 'BAG002', 'BAG003']);
    expect(reads[1]).toMatchObject({ aim: ']Q1', scannerName: 'Dock 1', path: pair.station });
    expect(reads[1]?.raw.trim()).toBe(']Q1BAG002');
  });

  it('receives a burst of 200 codes at full speed exactly once and in order', async () => {
    const pair = await startPtyPair(dir);
    // Lines end with CRLF here; the inter-byte timeout is off so a starved test machine cannot cut a code.
    const { reads } = await ready(pair, { baudRate: 115200, interByteTimeoutMs: 0 });
    const codes = Array.from({ length: 200 }, (_, i) => `BAG${String(i).padStart(5, '0')}`);
    const scanner = await openScannerSide(pair.scanner);
    await write(scanner, codes.map((c) => `${c}\r\n`).join(''));
    await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(200), WAIT);
    expect(reads.map((r) => r.code)).toEqual(codes);
    expect(hubState().reads).toBe(200);
  });

  it('joins split writes and counts a CRLF split across writes once', async () => {
    const pair = await startPtyPair(dir);
    // The inter-byte timeout is off so that a slow machine cannot cut the pieces apart.
    const { reads } = await ready(pair, { interByteTimeoutMs: 0 });
    const scanner = await openScannerSide(pair.scanner);
    for (const piece of ['BA', 'G0', '01\r', '\nBAG', '002\r', '\n']) await write(scanner, piece);
    await vi.waitFor(() => expect(reads).toHaveLength(2), WAIT);
    expect(reads.map((r) => r.code)).toEqual(['BAG001', 'BAG002']);
  });

  it('passes garbage on as rejected reads and goes on reading', async () => {
    const pair = await startPtyPair(dir);
    // The 10 kB line reaches us in several reads; with the timeout off, a slow machine cannot split it.
    const { reads } = await ready(pair, { interByteTimeoutMs: 0 });
    const scanner = await openScannerSide(pair.scanner);
    await write(scanner, Buffer.from([0x41, 0xff, 0xfe, 0x0d, 0x42, 0x07, 0x43, 0x0d]));
    await write(scanner, `${'X'.repeat(10_000)}\r`);
    await write(scanner, 'BAG001\r');
    await vi.waitFor(() => expect(reads).toHaveLength(4), WAIT);
    expect(reads.map((r) => r.rejectedReason ?? r.code)).toEqual([
      'invalid_utf8',
      'control_characters',
      'line_too_long',
      'BAG001',
    ]);
    expect(reads[0]?.raw).toBe('A\\xff\\xfe');
  });

  it('goes lost -> reconnecting on unplug and back to ready on replug', async () => {
    const first = await startPtyPair(dir);
    const { reads, states } = await ready(first);
    await first.unplug();
    await vi.waitFor(() => expect(hubState().state).toBe('reconnecting'), WAIT);
    expect(states.map((s) => s.state)).toContain('lost');
    expect(hubState().lastError).toContain('plug it in again');

    const second = await startPtyPair(dir);
    await vi.waitFor(() => expect(hubState().state).toBe('ready'), WAIT);
    expect(hubState().lastError).toBeUndefined();
    await runScanSim({ port: second.scanner, codes: ['BAG777'], terminator: 'crlf' });
    await vi.waitFor(() => expect(reads.map((r) => r.code)).toEqual(['BAG777']), WAIT);
  });

  it('says the port is busy while another program holds it, then takes it when it is free', async () => {
    const pair = await startPtyPair(dir);
    const holder = await new Promise<SerialPort>((resolve, reject) => {
      const p: SerialPort = new SerialPort({ path: pair.station, baudRate: 9600, lock: true }, (e) =>
        e ? reject(e) : resolve(p),
      );
    });
    openPorts.push(holder);
    startHub({ path: pair.station });
    await vi.waitFor(() => expect(hubState().lastError).toContain('is busy'), WAIT);
    expect(hubState().state).toBe('reconnecting');
    await new Promise<void>((r) => holder.close(() => r()));
    await vi.waitFor(() => expect(hubState().state).toBe('ready'), WAIT);
  });

  it('writes ESC 7 for a good read and ESC 8 for a bad one when hostAck is on', async () => {
    const pair = await startPtyPair(dir);
    const { reads } = startHub({ path: pair.station, hostAck: true }, (read) => read.code === 'GOOD');
    await vi.waitFor(() => expect(hubState().state).toBe('ready'), WAIT);
    const scanner = await openScannerSide(pair.scanner);
    const received: number[] = [];
    scanner.on('data', (chunk: Buffer) => received.push(...chunk));
    await write(scanner, 'GOOD\r');
    await vi.waitFor(() => expect(received).toEqual([0x1b, 0x37]), WAIT);
    await write(scanner, 'BAD\r');
    await vi.waitFor(() => expect(received).toEqual([0x1b, 0x37, 0x1b, 0x38]), WAIT);
    expect(reads).toHaveLength(2);
  });

  it('hands the next read to testRead instead of submitting it', async () => {
    const pair = await startPtyPair(dir);
    const { hub: started, reads } = await ready(pair);
    const test = started.testRead(pair.station, 20_000);
    await runScanSim({ port: pair.scanner, codes: ['TEST01'], terminator: 'cr' });
    expect(await test).toMatchObject({ code: 'TEST01', scannerId: pair.station });
    await runScanSim({ port: pair.scanner, codes: ['BAG001'], terminator: 'cr' });
    await vi.waitFor(() => expect(reads.map((r) => r.code)).toEqual(['BAG001']), WAIT);
  });
});

function hubState(): ScannerState {
  const state = hub?.list()[0];
  if (!state) throw new Error('The hub has no scanner.');
  return state;
}

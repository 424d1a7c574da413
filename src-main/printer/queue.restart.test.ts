import type Database from 'better-sqlite3';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderLabelPng } from './preview.ts';
import { PrintQueue } from './queue.ts';
import { decodeBarcodes } from './testing/decode-barcodes.ts';
import { FakePrinter } from './testing/fake-printer.ts';
import { openStationFile, tempDir } from './testing/queue-fixture.ts';
import { openPrinterTransport } from './transport.ts';

// A real station process, killed with SIGKILL: nothing of it runs after the kill, only the database file remains.
const WAIT = { timeout: 30_000, interval: 25 };
const child = path.join(import.meta.dirname, 'testing', 'queue-child.ts');

let dir: string;
let file: string;
let printer: FakePrinter;
let port: number;
let station: ChildProcessWithoutNullStreams | undefined;
let db: Database.Database | undefined;
let queue: PrintQueue | undefined;

beforeEach(async () => {
  dir = tempDir();
  file = path.join(dir, 'station.db');
  printer = new FakePrinter();
  port = await printer.listen();
});

afterEach(async () => {
  station?.kill('SIGKILL');
  station = undefined;
  await queue?.stop();
  queue = undefined;
  db?.close();
  db = undefined;
  await printer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the child station and collects the job states it reports. */
function startStation(parentCode: string, replyTimeoutMs: number) {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx/esm', child, file, String(port), parentCode, String(replyTimeoutMs)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  station = proc;
  const reports: Array<{ id: number; state: string; error?: string }> = [];
  let stderr = '';
  let buffered = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) reports.push(JSON.parse(line) as (typeof reports)[number]);
  });
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { proc, reports, stderr: () => stderr };
}

async function killHard(proc: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  station = undefined;
}

function reopen() {
  db = openStationFile(file);
  queue = new PrintQueue({
    db,
    transport: openPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port }),
    options: { backoffMinMs: 10, backoffBaseMs: 20, holdMs: 50, replyTimeoutMs: 1000, pollIntervalMs: 0 },
  });
  return queue;
}

describe('print queue across a kill -9', () => {
  it('sends a job that was pending when the station was killed', { timeout: 60_000 }, async () => {
    printer.problems = ['paper_out'];
    const { proc, reports, stderr } = startStation('PB-KILL-1', 1000);
    // Held by paper out at least once: queued, committed, and not sent.
    await vi.waitFor(() => {
      expect(stderr()).toBe('');
      expect(reports).toContainEqual({ id: 1, state: 'pending', error: 'printer_paper_out' });
    }, WAIT);
    await killHard(proc);
    expect(printer.labels()).toEqual([]);

    printer.problems = [];
    const next = reopen();
    expect(next.job(1)).toMatchObject({ parentCode: 'PB-KILL-1', state: 'pending' });
    next.start();
    await vi.waitFor(() => expect(next.job(1)?.state).toBe('sent'), WAIT);
    const [zpl, ...more] = printer.labels();
    expect(more).toEqual([]);
    const found = await decodeBarcodes(await renderLabelPng(zpl ?? '', '4x2in', 203));
    expect(found).toEqual({ code128: ['PB-KILL-1'], qr: ['PB-KILL-1'] });
  });

  it(
    'sends again a job killed while sending: the label may print twice, never zero times',
    { timeout: 60_000 },
    async () => {
      printer.muteAfterLabel = true;
      const { proc, reports, stderr } = startStation('PB-KILL-2', 60_000);
      await vi.waitFor(() => {
        expect(stderr()).toBe('');
        expect(reports.at(-1)).toMatchObject({ id: 1, state: 'sending' });
        expect(printer.labels()).toHaveLength(1);
      }, WAIT);
      await killHard(proc);

      printer.muteAfterLabel = false;
      const next = reopen();
      expect(next.job(1)).toMatchObject({ state: 'pending', error: { code: 'printer_write_failed' } });
      next.start();
      await vi.waitFor(() => expect(next.job(1)?.state).toBe('sent'), WAIT);
      expect(next.job(1)?.error).toBeNull();
      expect(printer.labels()).toHaveLength(2);
      expect(new Set(printer.labels()).size).toBe(1);
    },
  );
});

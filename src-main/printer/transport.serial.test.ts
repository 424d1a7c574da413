import type Database from 'better-sqlite3';
import path from 'node:path';
import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import { PrintQueue } from './queue.ts';
import { FakePrinter } from './testing/fake-printer.ts';
import { openStationFile, parentLabel, tempDir } from './testing/queue-fixture.ts';
import { openPrinterTransport } from './transport.ts';

// A serial printer on a real pty pair (socat): the station opens one end with serialport, the fake printer the other.
const WAIT = { timeout: 20_000, interval: 20 };

let dir: string;
let far: SerialPort | undefined;
let queue: PrintQueue | undefined;
let db: Database.Database;

beforeEach(() => {
  dir = tempDir();
  db = openStationFile(path.join(dir, 'station.db'));
});

afterEach(async () => {
  await queue?.stop();
  queue = undefined;
  await new Promise<void>((resolve) => (far?.isOpen ? far.close(() => resolve()) : resolve()));
  far = undefined;
  db.close();
  await stopAllPtyPairs();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('serial label printer', () => {
  it('holds a label through paper out reported over the serial line, then prints it', async () => {
    const pair = await startPtyPair(dir);
    const printer = new FakePrinter();
    printer.problems = ['paper_out'];
    const port = new SerialPort({ path: pair.scanner, baudRate: 9600 });
    far = port;
    await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject));
    printer.serveStream(port);

    const transport = openPrinterTransport({ kind: 'serial', path: pair.station, baudRate: 9600 });
    const options = { holdMs: 50, replyTimeoutMs: 2000, pollIntervalMs: 0 };
    queue = new PrintQueue({ db, transport, options });
    queue.start();
    const job = queue.enqueueLabel(parentLabel('PB-SER-1'), { layout: '4x2in', dpi: 300 }, 'completed');
    if (!job.ok) throw new Error(job.error.message);
    const id = job.value.id;
    await vi.waitFor(() => expect(queue?.job(id)?.error?.code).toBe('printer_paper_out'), WAIT);
    expect(queue.summary().printer).toMatchObject({ state: 'problem', problems: ['paper_out'] });
    expect(printer.labels()).toEqual([]);

    printer.problems = [];
    await vi.waitFor(() => expect(queue?.job(id)?.state).toBe('sent'), WAIT);
    expect(printer.labels()).toHaveLength(1);
    expect(printer.labels()[0]).toContain('^FD>:PB-SER-1^FS');
  });
});

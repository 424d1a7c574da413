import type Database from 'better-sqlite3';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import type { LabelFormat } from './label.ts';
import { renderLabelPng } from './preview.ts';
import type { PrintQueueOptions, PrintQueueSummary } from './queue.ts';
import { PrintQueue } from './queue.ts';
import { decodeBarcodes } from './testing/decode-barcodes.ts';
import { FakePrinter } from './testing/fake-printer.ts';
import { openStationFile, parentLabel, tempDir } from './testing/queue-fixture.ts';
import type { PrinterTransport } from './transport.ts';
import { openPrinterTransport } from './transport.ts';

// A real TCP printer on loopback, a real database file, the real clock: waits are on conditions, never on timings.
const WAIT = { timeout: 20_000, interval: 20 };
const FAST: Partial<PrintQueueOptions> = {
  backoffBaseMs: 20,
  backoffCapMs: 100,
  backoffMinMs: 10,
  holdMs: 50,
  replyTimeoutMs: 300,
  pollIntervalMs: 0,
};
const FORMAT: LabelFormat = { layout: '4x2in', dpi: 203 };

let dir: string;
let db: Database.Database;
let printer: FakePrinter;
let port: number;
const queues: PrintQueue[] = [];

beforeEach(async () => {
  dir = tempDir();
  db = openStationFile(path.join(dir, 'station.db'));
  printer = new FakePrinter();
  port = await printer.listen();
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
  await printer.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startQueue(
  options: Partial<PrintQueueOptions> = {},
  transport: PrinterTransport = openPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port }),
) {
  const summaries: PrintQueueSummary[] = [];
  const queue = new PrintQueue({
    db,
    transport,
    options: { ...FAST, ...options },
    onChange: (s) => summaries.push(s),
  });
  queues.push(queue);
  queue.start();
  return { queue, summaries };
}

function enqueue(queue: PrintQueue, code: string) {
  const result = queue.enqueueLabel(parentLabel(code), FORMAT, 'completed', 'asha');
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

describe('print queue over raw TCP', () => {
  it(
    'returns at once, then prints a label whose barcodes decode to the parent code',
    { timeout: 60_000 },
    async () => {
      const { queue } = startQueue();
      const job = enqueue(queue, 'PB-7700123');
      // Committed and handed back before a single byte went to the printer.
      expect(job.state).toBe('pending');
      expect(printer.received.length).toBe(0);
      await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent'), WAIT);
      expect(queue.job(job.id)).toMatchObject({
        attempts: 1,
        error: null,
        reason: 'completed',
        requestedBy: 'asha',
      });
      expect(queue.summary().printer).toMatchObject({ state: 'ready', problems: [], error: null });
      // The printer was asked for its status before the label and right after it.
      expect(printer.received.toString('utf8')).toMatch(/^~HS\^XA[\s\S]*\^XZ\n~HS$/);
      const [zpl, ...more] = printer.labels();
      expect(more).toEqual([]);
      const found = await decodeBarcodes(await renderLabelPng(zpl ?? '', FORMAT.layout, FORMAT.dpi));
      expect(found).toEqual({ code128: ['PB-7700123'], qr: ['PB-7700123'] });
    },
  );

  it('holds labels while the printer reports paper out, and prints them once paper is back', async () => {
    printer.problems = ['paper_out'];
    const { queue, summaries } = startQueue();
    const job = enqueue(queue, 'PB-1');
    await vi.waitFor(() => {
      expect(queue.job(job.id)).toMatchObject({ state: 'pending', error: { code: 'printer_paper_out' } });
      expect(queue.summary().printer).toMatchObject({ state: 'problem', problems: ['paper_out'] });
    }, WAIT);
    expect(queue.summary().printer.error?.message).toBe(
      `The label printer 127.0.0.1:${port} is out of labels: load a new roll; waiting labels print by themselves.`,
    );
    // Asked several times, and still no label was sent into the empty printer; waiting used up no tries.
    await vi.waitFor(() => expect(printer.connections).toBeGreaterThan(3), WAIT);
    expect(printer.labels()).toEqual([]);
    expect(queue.job(job.id)?.attempts).toBe(0);
    expect(summaries.some((s) => s.printer.state === 'problem' && s.counts.pending === 1)).toBe(true);
    printer.problems = [];
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent'), WAIT);
    expect(printer.labels()).toHaveLength(1);
    expect(queue.summary().printer.state).toBe('ready');
  });

  it("marks a label 'sent, unconfirmed' when the printer takes it but never answers ~HS", async () => {
    printer.silent = true;
    const { queue } = startQueue();
    const job = enqueue(queue, 'PB-2');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent_unconfirmed'), WAIT);
    expect(queue.job(job.id)?.error?.code).toBe('printer_no_answer');
    expect(queue.summary().printer.state).toBe('silent');
    expect(printer.labels()).toHaveLength(1);
  });

  it('retries an unreachable printer with backoff, then fails the job with the reason', async () => {
    const closed = await freePort();
    const transport = openPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port: closed });
    const { queue } = startQueue({ maxAttempts: 3 }, transport);
    const job = enqueue(queue, 'PB-3');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('failed'), WAIT);
    const failed = queue.job(job.id);
    expect(failed).toMatchObject({
      attempts: 3,
      error: { code: 'printer_gave_up', params: { reason: 'ECONNREFUSED' } },
    });
    expect(failed?.error?.message).toContain('reprint it from look-up');
    expect(queue.summary().printer).toMatchObject({
      state: 'unreachable',
      error: { code: 'printer_unreachable' },
    });
    expect(queue.summary().counts).toMatchObject({ failed: 1, pending: 0 });
  });

  it('sends a label again after the connection broke mid-label: it may print twice (README)', async () => {
    printer.resetAfterLabel = 1;
    const { queue } = startQueue();
    const job = enqueue(queue, 'PB-4');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent'), WAIT);
    expect(queue.job(job.id)?.attempts).toBe(2);
    // The first copy reached the printer before the reset: two labels, never none.
    expect(printer.labels()).toHaveLength(2);
  });

  it("a connection that breaks after every label: sent twice at most, then 'sent, unconfirmed', not given up", async () => {
    printer.resetAfterLabel = 100;
    const { queue } = startQueue();
    const job = enqueue(queue, 'PB-4B');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent_unconfirmed'), WAIT);
    expect(queue.job(job.id)?.error?.code).toBe('printer_write_unconfirmed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(printer.labels()).toHaveLength(2);
  });

  it("a printer that reports paper out right after the label: 'sent, unconfirmed' with that problem, not resent", async () => {
    // Ready when asked before the label; the answer that follows the label says paper out.
    Object.defineProperty(printer, 'problems', {
      get: () => (printer.labels().length > 0 ? ['paper_out'] : []),
      set: () => undefined,
      configurable: true,
    });
    const { queue } = startQueue();
    const job = enqueue(queue, 'PB-4C');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).not.toMatch(/^(pending|sending)$/), WAIT);
    expect(queue.job(job.id)).toMatchObject({
      state: 'sent_unconfirmed',
      error: { code: 'printer_problem_after_label' },
    });
    expect(queue.job(job.id)?.error?.message).toContain('paper out');
    expect(printer.labels()).toHaveLength(1);
  });

  it('prints in the order queued, and a reprint is a new job for the same parent', async () => {
    const { queue } = startQueue();
    const first = enqueue(queue, 'PB-5');
    const second = enqueue(queue, 'PB-6');
    const again = queue.reprint(parentLabel('PB-5'), FORMAT, 'supervisor');
    expect(again.ok).toBe(true);
    await vi.waitFor(
      () => expect(queue.summary().counts).toMatchObject({ sent: 3, pending: 0, sending: 0 }),
      WAIT,
    );
    expect(printer.labels().map((zpl) => /\^FD>:([^^]*)\^FS/.exec(zpl)?.[1])).toEqual([
      'PB-5',
      'PB-6',
      'PB-5',
    ]);
    expect(queue.jobsForParent('PB-5').map((job) => [job.reason, job.requestedBy])).toEqual([
      ['completed', 'asha'],
      ['reprint', 'supervisor'],
    ]);
    expect(queue.zplOf(first.id)?.trimEnd()).toBe(printer.labels()[0]);
    expect(queue.recentJobs(2).map((job) => job.id)).toEqual([second.id + 1, second.id]);
  });

  it('asks an idle printer for its status, so paper out shows before the next label', async () => {
    printer.problems = ['head_open', 'ribbon_out'];
    const { queue } = startQueue({ pollIntervalMs: 30 });
    await vi.waitFor(() => {
      expect(queue.summary().printer).toMatchObject({
        state: 'problem',
        error: { code: 'printer_ribbon_out' },
      });
    }, WAIT);
    expect(queue.summary().printer.problems).toEqual(['ribbon_out', 'head_open']);
    printer.problems = [];
    await vi.waitFor(() => expect(queue.summary().printer.state).toBe('ready'), WAIT);
    expect(printer.labels()).toEqual([]);
  });
});

describe('print queue to a device file', () => {
  it("writes the label to the device and calls it 'sent, unconfirmed': a device file cannot answer", async () => {
    // A character device as /dev/usb/lp0 is: one end of a pty pair (socat); the other end reads what came.
    const pair = await startPtyPair(dir);
    const far = new SerialPort({ path: pair.scanner, baudRate: 9600 });
    let written = '';
    far.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => far.once('open', resolve).once('error', reject));
    try {
      const { queue } = startQueue({}, openPrinterTransport({ kind: 'device', path: pair.station }));
      const job = enqueue(queue, 'PB-8');
      await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent_unconfirmed'), WAIT);
      await vi.waitFor(() => expect(written).toContain('^XZ'), WAIT);
      expect(written.startsWith('^XA')).toBe(true);
      expect(written).not.toContain('~HS');
      expect(written).toContain('^FD>:PB-8^FS');
    } finally {
      await new Promise<void>((resolve) => far.close(() => resolve()));
      await stopAllPtyPairs();
    }
  });

  it('never writes into an ordinary file named as the device: the label waits, the file is left as it was', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'notes\n');
    const { queue } = startQueue({}, openPrinterTransport({ kind: 'device', path: file }));
    const job = enqueue(queue, 'PB-8');
    await vi.waitFor(() => expect(queue.job(job.id)?.error?.code).toBe('printer_unreachable'), WAIT);
    expect(queue.job(job.id)?.state).not.toMatch(/^sent/);
    expect(fs.readFileSync(file, 'utf8')).toBe('notes\n');
  });

  it('never creates a file where the device is missing (a printer unplugged)', async () => {
    const missing = path.join(dir, 'lp9');
    const { queue } = startQueue({}, openPrinterTransport({ kind: 'device', path: missing }));
    const job = enqueue(queue, 'PB-8');
    await vi.waitFor(() => expect(queue.job(job.id)?.error?.code).toBe('printer_unreachable'), WAIT);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('print queue errors of its own', () => {
  it('reports a database that refuses a write instead of throwing, and goes on once it accepts again', async () => {
    const errors: unknown[] = [];
    const transport = openPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port });
    const queue = new PrintQueue({
      db,
      transport,
      options: { ...FAST, backoffCapMs: 50 },
      onError: (e) => errors.push(e),
    });
    queues.push(queue);
    const job = enqueue(queue, 'PB-9');
    db.exec(
      `CREATE TRIGGER refuse BEFORE UPDATE ON print_jobs BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
    );
    queue.start();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), WAIT);
    expect(String(errors[0])).toContain('disk says no');
    db.exec('DROP TRIGGER refuse');
    await vi.waitFor(() => expect(queue.job(job.id)?.state).toBe('sent'), WAIT);
  });
});

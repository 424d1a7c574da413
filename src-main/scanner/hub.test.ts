import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { ScannerRead } from '../../src-shared/scanners.ts';
import { ScannerHub } from './hub.ts';
import type { SerialHandle } from './serial-handle.ts';
import { parseScanSimArgs, runScanSim } from './sim.ts';

class FakeHandle implements SerialHandle {
  private dataListeners: Array<(chunk: Buffer) => void> = [];
  written: Buffer[] = [];
  closed = false;
  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }
  onGone(): void {}
  async write(bytes: Uint8Array): Promise<void> {
    this.written.push(Buffer.from(bytes));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  send(bytes: string | Buffer): void {
    for (const listener of this.dataListeners) listener(Buffer.from(bytes));
  }
}

function hubWith(onRead: (read: ScannerRead) => Promise<{ good: boolean }>) {
  const handles = new Map<string, FakeHandle>();
  const hub = new ScannerHub({
    ports: [{ path: '/dev/ttyACM0', name: 'Left' }],
    onRead,
    portDeps: {
      pathExists: async () => true,
      openSerial: async ({ path }) => {
        const handle = new FakeHandle();
        handles.set(path, handle);
        return handle;
      },
    },
  });
  return { hub, handles };
}

describe('ScannerHub', () => {
  it('hands the reads of one port over in arrival order, each once, and waits for all of them on stop', async () => {
    const seen: string[] = [];
    const settled: string[] = [];
    const { hub, handles } = hubWith(async (read) => {
      seen.push(read.code);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      settled.push(read.code);
      return { good: true };
    });
    hub.start();
    await vi.waitFor(() => expect(hub.list()[0]?.state).toBe('ready'));
    const codes = Array.from({ length: 50 }, (_, i) => `BAG${i}`);
    handles.get('/dev/ttyACM0')?.send(codes.map((c) => `${c}\r`).join(''));
    await hub.stop();
    expect(seen).toEqual(codes);
    expect([...settled].sort()).toEqual([...codes].sort());
    expect(hub.list()[0]).toMatchObject({ state: 'stopped', reads: 50, name: 'Left' });
  });

  it('passes rejected lines to onRead with the reason and counts onRead failures as bad', async () => {
    const reads: ScannerRead[] = [];
    const onReadError = vi.fn();
    const hub = new ScannerHub({
      ports: [{ path: '/dev/ttyACM0', hostAck: true }],
      onRead: async (read) => {
        reads.push(read);
        if (read.code === 'BOOM') throw new Error('database is locked');
        return { good: read.rejectedReason === undefined };
      },
      onReadError,
      portDeps: { pathExists: async () => true, openSerial: async () => handle },
    });
    const handle = new FakeHandle();
    hub.start();
    await vi.waitFor(() => expect(hub.list()[0]?.state).toBe('ready'));
    handle.send(Buffer.from([0x41, 0x07, 0x0d]));
    handle.send('BOOM\rBAG1\r');
    await vi.waitFor(() => expect(handle.written).toHaveLength(3));
    expect(reads.map((r) => [r.code, r.rejectedReason])).toEqual([
      ['', 'control_characters'],
      ['BOOM', undefined],
      ['BAG1', undefined],
    ]);
    expect(onReadError).toHaveBeenCalledOnce();
    expect(handle.written.map((b) => b[1])).toEqual([0x38, 0x38, 0x37]);
    await hub.stop();
  });

  it('adds, removes and updates ports with configure, by identity when known', async () => {
    const { hub, handles } = hubWith(async () => ({ good: true }));
    hub.start();
    await hub.configure([
      { path: '/dev/ttyACM0', name: 'Left' },
      { path: '/dev/serial/by-id/usb-Newland_X_1', identity: '1eab:0001:1', name: 'Right' },
    ]);
    await vi.waitFor(() => expect(hub.list().map((s) => s.state)).toEqual(['ready', 'ready']));
    const left = handles.get('/dev/ttyACM0');
    await hub.configure([{ path: '/dev/ttyACM0', name: 'Left', baudRate: 115200 }]);
    expect(left?.closed).toBe(true);
    expect(handles.get('/dev/serial/by-id/usb-Newland_X_1')?.closed).toBe(true);
    expect(hub.list().map((s) => s.id)).toEqual(['/dev/ttyACM0']);
    await vi.waitFor(() => expect(hub.list()[0]?.state).toBe('ready'));
    expect(await hub.testRead('1eab:0001:1', 1000)).toBeNull();
    await hub.stop();
  });

  it('resolves testRead with null after the timeout', async () => {
    const { hub } = hubWith(async () => ({ good: true }));
    hub.start();
    expect(await hub.testRead('/dev/ttyACM0', 10)).toBeNull();
    await hub.stop();
  });
});

describe('scan simulator', () => {
  it('parses flags and codes, and reads codes from stdin when none are given', async () => {
    expect(
      parseScanSimArgs(['--port', '/dev/pts/3', '--terminator', 'cr', '--rate', '5', 'A1', 'B2']),
    ).toEqual({
      port: '/dev/pts/3',
      terminator: 'cr',
      ratePerSecond: 5,
      codes: ['A1', 'B2'],
    });
    const options = parseScanSimArgs(['--port', '/tmp/x'], Readable.from(['A1\n\n  B2 \r\n']));
    expect(options.terminator).toBe('crlf');
    const codes: string[] = [];
    for await (const code of options.codes) codes.push(code);
    expect(codes).toEqual(['A1', 'B2']);
  });

  it('says what to fix in bad arguments', () => {
    expect(() => parseScanSimArgs([])).toThrow('Say which port to write to');
    expect(() => parseScanSimArgs(['--port', 'x', '--terminator', 'etx'])).toThrow(
      'use cr, lf, crlf, tab or none',
    );
    expect(() => parseScanSimArgs(['--port', 'x', '--rate', 'fast'])).toThrow(
      '--rate is not a number above 0',
    );
  });

  it('writes each code with its terminator and closes the port', async () => {
    const handle = new FakeHandle();
    const count = await runScanSim({
      port: '/tmp/x',
      codes: ['A1', 'B2'],
      terminator: 'crlf',
      openSerial: async () => handle,
    });
    expect(count).toBe(2);
    expect(Buffer.concat(handle.written).toString()).toBe('A1\r\nB2\r\n');
    expect(handle.closed).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from './decoder.ts';
import { describePortError } from './messages.ts';
import type { PortClock, PortStatus, ScannerPortDeps } from './port.ts';
import { ScannerPort, backoffDelay } from './port.ts';
import type { SerialHandle } from './serial-handle.ts';

/** Timers that run only when the test says so. */
class ManualClock implements PortClock {
  private time = 0;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; run: () => void; ms: number }>();
  now = (): number => this.time;
  setTimeout = (run: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, run, ms });
    return id;
  };
  clearTimeout = (handle: unknown): void => void this.timers.delete(handle as number);
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].run();
      await settle();
    }
    this.time = until;
    await settle();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

class FakeHandle implements SerialHandle {
  data: Array<(chunk: Buffer) => void> = [];
  gone: Array<(error?: Error) => void> = [];
  written: number[][] = [];
  closed = false;
  onData(listener: (chunk: Buffer) => void): void {
    this.data.push(listener);
  }
  onGone(listener: (error?: Error) => void): void {
    this.gone.push(listener);
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.written.push([...bytes]);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  send(text: string): void {
    for (const listener of this.data) listener(Buffer.from(text));
  }
  unplug(): void {
    for (const listener of this.gone) listener(new Error('bad file descriptor'));
  }
}

function setup(opens: Array<FakeHandle | Error>, hostAck = false) {
  const clock = new ManualClock();
  const events: DecodedEvent[] = [];
  const states: PortStatus[] = [];
  const opened: FakeHandle[] = [];
  let exists = true;
  const deps: Partial<ScannerPortDeps> = {
    clock,
    random: () => 0.5,
    backoffBaseMs: 100,
    backoffCapMs: 1000,
    pollMs: 1000,
    pathExists: async () => exists,
    openSerial: async () => {
      const next = opens.shift() ?? new Error('No such file or directory, cannot open /dev/ttyACM0');
      if (next instanceof Error) throw next;
      expect(opened.every((h) => h.closed)).toBe(true); // old handle closed before reopening
      opened.push(next);
      return next;
    },
  };
  const port = new ScannerPort(
    { path: '/dev/ttyACM0', hostAck },
    { onEvent: (e) => events.push(e), onStatus: (s) => states.push(s) },
    deps,
  );
  return { port, clock, events, states, opened, setExists: (v: boolean) => (exists = v) };
}

describe('ScannerPort lifecycle', () => {
  it('goes connecting -> ready -> lost -> reconnecting -> ready on unplug and replug', async () => {
    const first = new FakeHandle();
    const second = new FakeHandle();
    const t = setup([first, second]);
    t.port.start();
    await settle();
    expect(t.port.status.state).toBe('ready');
    t.setExists(false);
    first.unplug();
    await settle();
    expect(first.closed).toBe(true);
    expect(t.port.status).toMatchObject({
      state: 'reconnecting',
      lastError: expect.stringContaining('plug it in'),
    });
    t.setExists(true);
    await t.clock.advance(100);
    expect(t.port.status).toEqual({ state: 'ready' });
    expect(t.states.map((s) => s.state)).toEqual(['connecting', 'ready', 'lost', 'reconnecting', 'ready']);
    second.send('BAG001\r');
    expect(t.events).toEqual([{ kind: 'line', text: 'BAG001', raw: 'BAG001' }]);
    await t.port.stop();
    expect(second.closed).toBe(true);
    expect(t.port.status.state).toBe('stopped');
  });

  it('notices an unplug that raised no event by polling the path', async () => {
    const first = new FakeHandle();
    const t = setup([first]);
    t.port.start();
    await settle();
    t.setExists(false);
    await t.clock.advance(1000);
    expect(first.closed).toBe(true);
    expect(t.states.map((s) => s.state)).toContain('lost');
    await t.port.stop();
  });

  it('backs off with full jitter up to a cap while the port cannot be opened', async () => {
    const t = setup([]);
    t.port.start();
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [timer] = [...t.clock.timers.values()];
      delays.push(timer?.ms ?? -1);
      await t.clock.advance(timer?.ms ?? 0);
    }
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
    expect(t.port.status.state).toBe('reconnecting');
    await t.port.stop();
    expect(t.clock.timers.size).toBe(0);
  });

  it('ends a line with no suffix after the inter-byte timeout', async () => {
    const handle = new FakeHandle();
    const t = setup([handle]);
    t.port.start();
    await settle();
    handle.send('BAG');
    handle.send('001');
    expect(t.events).toEqual([]);
    await t.clock.advance(50);
    expect(t.events).toEqual([{ kind: 'line', text: 'BAG001', raw: 'BAG001' }]);
    await t.port.stop();
  });

  it('writes ESC 7 / ESC 8 only when hostAck is on', async () => {
    const withAck = new FakeHandle();
    const a = setup([withAck], true);
    a.port.start();
    await settle();
    await a.port.ack(true);
    await a.port.ack(false);
    expect(withAck.written).toEqual([
      [0x1b, 0x37],
      [0x1b, 0x38],
    ]);
    const without = new FakeHandle();
    const b = setup([without], false);
    b.port.start();
    await settle();
    await b.port.ack(true);
    expect(without.written).toEqual([]);
    await Promise.all([a.port.stop(), b.port.stop()]);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, cap)', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      expect(backoffDelay(attempt, () => 0.999, 250, 5000)).toBeLessThan(5000);
      expect(backoffDelay(attempt, () => 0, 250, 5000)).toBe(0);
    }
  });
});

describe('describePortError', () => {
  it('says what to do for the usual failures', () => {
    expect(describePortError('/dev/ttyACM0', new Error('Permission denied, cannot open /dev/ttyACM0'))).toBe(
      'Permission denied on /dev/ttyACM0: add this user to the dialout group (sudo usermod -aG dialout $USER) and log in again.',
    );
    expect(
      describePortError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port')),
    ).toBe('Scanner on /dev/ttyUSB0 is busy: close the other program that uses it.');
    expect(describePortError('/dev/ttyACM0', Object.assign(new Error('busy'), { code: 'EBUSY' }))).toContain(
      'ModemManager',
    );
    expect(describePortError('/dev/ttyACM1', new Error('No such file or directory, cannot open'))).toContain(
      'is not connected',
    );
    expect(describePortError('/dev/ttyACM1', new Error('Error: Input/output error.'))).toBe(
      'Scanner on /dev/ttyACM1 could not be opened (Input/output error): check the cable and the port settings.',
    );
  });
});

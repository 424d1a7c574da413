import type { DecodedEvent } from './decoder.ts';
import type { PortStatus, ScannerPortConfig, ScannerPortDeps } from './port.ts';
import type { ScannerRead, ScannerState } from '../../src-shared/scanners.ts';
import { ScannerPort, systemClock } from './port.ts';

export interface ScannerHubOptions {
  ports: ScannerPortConfig[];
  /**
   * Gets every read, rejected ones too, called in arrival order per scanner (without waiting for the previous
   * call to settle, so onRead must take reads in call order); `good` drives the host ACK.
   */
  onRead: (read: ScannerRead) => Promise<{ good: boolean }>;
  onState?: (state: ScannerState) => void;
  /** onRead threw: the read counts as bad. Defaults to console.error so nothing fails silently. */
  onReadError?: (error: unknown, read: ScannerRead) => void;
  /** Injected clock, timers and serial opener; tests pass fakes or short poll intervals. */
  portDeps?: Partial<ScannerPortDeps>;
}

/** The id a scanner is known by: its USB identity when known (stable across replugs), else its path. */
export function scannerIdOf(config: ScannerPortConfig): string {
  return config.identity ?? config.path;
}

interface Entry {
  config: ScannerPortConfig;
  port: ScannerPort;
  status: PortStatus;
  reads: number;
  lastReadAt?: number;
  /** ACKs of this scanner go out through this chain in read order; stop() waits for it. */
  queue: Promise<void>;
}

interface TestWaiter {
  resolve: (read: ScannerRead | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Several serial scanners feeding one station. */
export class ScannerHub {
  private readonly entries = new Map<string, Entry>();
  private readonly testWaiters = new Map<string, TestWaiter>();
  private started = false;

  constructor(private readonly options: ScannerHubOptions) {
    for (const config of options.ports) this.add(config);
  }

  start(): void {
    this.started = true;
    for (const entry of this.entries.values()) entry.port.start();
  }

  /** Closes every port and waits until reads already received have been delivered. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.entries.values()].map((entry) => this.stopEntry(entry)));
    for (const [id, waiter] of this.testWaiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(null);
      this.testWaiters.delete(id);
    }
  }

  list(): ScannerState[] {
    return [...this.entries.entries()].map(([id, entry]) => this.stateOf(id, entry));
  }

  /** Adds, removes and updates ports to match `configs`; unchanged ports keep running untouched. */
  async configure(configs: ScannerPortConfig[]): Promise<void> {
    const wanted = new Map(configs.map((config) => [scannerIdOf(config), config]));
    const work: Array<Promise<void>> = [];
    for (const [id, entry] of this.entries) {
      const next = wanted.get(id);
      if (next && sameConfig(next, entry.config)) continue;
      this.entries.delete(id);
      work.push(
        this.stopEntry(entry).then(() => {
          if (next) this.add(next, entry.reads, entry.lastReadAt);
        }),
      );
    }
    await Promise.all(work);
    for (const [id, config] of wanted) if (!this.entries.has(id)) this.add(config);
  }

  /**
   * Returns the next read from one scanner to the caller instead of submitting it (for a "test your scanner"
   * screen). Resolves null when nothing is read within timeoutMs or the scanner is unknown.
   */
  testRead(scannerId: string, timeoutMs: number): Promise<ScannerRead | null> {
    if (!this.entries.has(scannerId)) return Promise.resolve(null);
    this.testWaiters.get(scannerId)?.resolve(null);
    return new Promise((resolve) => {
      const waiter: TestWaiter = {
        resolve,
        timer: setTimeout(() => {
          if (this.testWaiters.get(scannerId) === waiter) this.testWaiters.delete(scannerId);
          resolve(null);
        }, timeoutMs),
      };
      this.testWaiters.set(scannerId, waiter);
    });
  }

  private add(config: ScannerPortConfig, reads = 0, lastReadAt?: number): void {
    const id = scannerIdOf(config);
    const entry: Entry = {
      config,
      status: { state: 'stopped' },
      reads,
      queue: Promise.resolve(),
      ...(lastReadAt === undefined ? {} : { lastReadAt }),
      port: new ScannerPort(
        config,
        {
          onEvent: (event) => this.enqueue(id, entry, event),
          onStatus: (status) => {
            entry.status = status;
            if (this.entries.get(id) === entry) this.options.onState?.(this.stateOf(id, entry));
          },
        },
        this.options.portDeps,
      ),
    };
    this.entries.set(id, entry);
    if (this.started) entry.port.start();
  }

  private async stopEntry(entry: Entry): Promise<void> {
    await entry.port.stop();
    await entry.queue;
  }

  /**
   * Reads are handed to onRead at once, in arrival order, without waiting for the previous one: the station
   * keeps that order and lets a burst share commits. ACKs go back to the scanner in the same order.
   */
  private enqueue(id: string, entry: Entry, event: DecodedEvent): void {
    const read = this.toRead(id, entry.config, event);
    entry.reads++;
    entry.lastReadAt = read.at;
    const good = this.deliver(id, read);
    entry.queue = entry.queue.then(async () => entry.port.ack(await good));
  }

  private async deliver(id: string, read: ScannerRead): Promise<boolean> {
    const waiter = this.testWaiters.get(id);
    if (waiter) {
      this.testWaiters.delete(id);
      clearTimeout(waiter.timer);
      waiter.resolve(read);
      return read.rejectedReason === undefined;
    }
    try {
      return (await this.options.onRead(read)).good;
    } catch (error) {
      (this.options.onReadError ?? defaultReadError)(error, read);
      return false;
    }
  }

  private toRead(id: string, config: ScannerPortConfig, event: DecodedEvent): ScannerRead {
    const base = {
      scannerId: id,
      scannerName: config.name ?? config.path,
      path: config.path,
      at: (this.options.portDeps?.clock ?? systemClock).now(),
    };
    if (event.kind === 'rejected') return { ...base, raw: event.raw, code: '', rejectedReason: event.reason };
    return event.aim === undefined
      ? { ...base, raw: event.raw, code: event.text }
      : { ...base, raw: event.raw, code: event.text, aim: event.aim };
  }

  private stateOf(id: string, entry: Entry): ScannerState {
    const { config, status } = entry;
    return {
      id,
      name: config.name ?? config.path,
      path: config.path,
      ...(config.identity ? { identity: config.identity } : {}),
      state: status.state,
      ...(status.lastError ? { lastError: status.lastError } : {}),
      ...(entry.lastReadAt === undefined ? {} : { lastReadAt: entry.lastReadAt }),
      reads: entry.reads,
    };
  }
}

function sameConfig(a: ScannerPortConfig, b: ScannerPortConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof ScannerPortConfig>);
  return [...keys].every((key) => a[key] === b[key]);
}

function defaultReadError(error: unknown, read: ScannerRead): void {
  console.error(`Scanner ${read.scannerName}: the station could not take the read ${read.raw}:`, error);
}

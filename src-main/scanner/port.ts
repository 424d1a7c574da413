import type { PortState } from '../../src-shared/scanners.ts';
import type { DecodedEvent } from './decoder.ts';
import { DEFAULT_INTER_BYTE_TIMEOUT_MS, LineDecoder } from './decoder.ts';
import { describePortError, scannerMessage } from './messages.ts';
import type { OpenSerial, SerialHandle } from './serial-handle.ts';
import { openSerialPort, pathExists } from './serial-handle.ts';

export interface ScannerPortConfig {
  path: string;
  name?: string;
  /** vendor:product:serial when discovery knew it; the scanner is then remembered by it, not by path. */
  identity?: string;
  baudRate?: number;
  prefix?: string;
  suffix?: string;
  /** Ends a line when no byte came for this long (scanners with no suffix). Default 50; 0 turns it off. */
  interByteTimeoutMs?: number;
  maxLineBytes?: number;
  /** Answer each line with ESC 7 (good) or ESC 8 (bad), as Honeywell scanners with host ACK expect. */
  hostAck?: boolean;
  parseAim?: boolean;
}

export interface PortStatus {
  state: PortState;
  lastError?: string;
}

export interface PortClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ScannerPortDeps {
  openSerial: OpenSerial;
  pathExists: (file: string) => Promise<boolean>;
  /** In [0, 1); full jitter draws the retry delay from it. */
  random: () => number;
  clock: PortClock;
  /** First backoff step and its cap, in ms. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** How often the path is checked while ready, to notice an unplug that raised no event. */
  pollMs: number;
}

export interface ScannerPortListener {
  onEvent(event: DecodedEvent): void;
  onStatus(status: PortStatus): void;
}

export const systemClock: PortClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const defaultPortDeps: ScannerPortDeps = {
  openSerial: openSerialPort,
  pathExists,
  random: Math.random,
  clock: systemClock,
  backoffBaseMs: 250,
  backoffCapMs: 5000,
  pollMs: 1000,
};

const ACK_GOOD = Uint8Array.of(0x1b, 0x37);
const ACK_BAD = Uint8Array.of(0x1b, 0x38);

/** Full-jitter exponential backoff: a delay drawn evenly from [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * One serial scanner: connecting -> ready -> lost -> reconnecting -> ready ... until stop().
 * The old handle is always closed before the path is opened again, so a port is never held twice by us.
 */
export class ScannerPort {
  readonly config: ScannerPortConfig;
  private readonly deps: ScannerPortDeps;
  private readonly decoder: LineDecoder;
  private current: PortStatus = { state: 'stopped' };
  private handle: SerialHandle | undefined;
  private generation = 0;
  private attempt = 0;
  private opening: Promise<void> | undefined;
  private losing: Promise<void> | undefined;
  private retryTimer: unknown;
  private pollTimer: unknown;
  private byteTimer: unknown;
  private chunksSeen = 0;

  constructor(
    config: ScannerPortConfig,
    private readonly listener: ScannerPortListener,
    deps: Partial<ScannerPortDeps> = {},
  ) {
    this.config = config;
    this.deps = { ...defaultPortDeps, ...deps };
    this.decoder = new LineDecoder({
      prefix: config.prefix,
      suffix: config.suffix,
      maxLineBytes: config.maxLineBytes,
      parseAim: config.parseAim,
    });
  }

  get status(): PortStatus {
    return { ...this.current };
  }

  start(): void {
    if (this.current.state !== 'stopped') return;
    this.attempt = 0;
    this.setStatus('connecting');
    this.opening = this.connect(this.generation);
  }

  async stop(): Promise<void> {
    this.generation++;
    this.clearTimers();
    await this.opening;
    await this.losing;
    const handle = this.handle;
    this.handle = undefined;
    this.decoder.reset();
    if (handle) await handle.close().catch(() => undefined);
    this.setStatus('stopped', this.current.lastError);
  }

  /** Host ACK after the station judged a line: ESC 7 for good, ESC 8 for bad. Does nothing unless hostAck. */
  async ack(good: boolean): Promise<void> {
    if (!this.config.hostAck || !this.handle) return;
    await this.handle.write(good ? ACK_GOOD : ACK_BAD).catch(() => undefined);
  }

  private async connect(generation: number): Promise<void> {
    let handle: SerialHandle;
    try {
      handle = await this.deps.openSerial({ path: this.config.path, baudRate: this.config.baudRate ?? 9600 });
    } catch (error) {
      if (generation !== this.generation) return;
      this.setStatus('reconnecting', describePortError(this.config.path, error));
      this.scheduleRetry(generation);
      return;
    }
    if (generation !== this.generation) {
      await handle.close().catch(() => undefined);
      return;
    }
    this.handle = handle;
    this.attempt = 0;
    handle.onData((chunk) => {
      if (this.handle === handle) this.receive(chunk);
    });
    handle.onGone((error) => {
      if (this.handle === handle) this.losing = this.lose(handle, error);
    });
    this.setStatus('ready');
    this.schedulePoll(generation, handle);
  }

  private receive(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) this.listener.onEvent(event);
    const timeoutMs = this.config.interByteTimeoutMs ?? DEFAULT_INTER_BYTE_TIMEOUT_MS;
    this.deps.clock.clearTimeout(this.byteTimer);
    this.byteTimer = undefined;
    if (!this.decoder.hasPending || timeoutMs <= 0) return;
    const chunks = ++this.chunksSeen;
    this.byteTimer = this.deps.clock.setTimeout(() => {
      // A late timer on a busy event loop may fire while the next bytes already wait to be read: give the I/O
      // phase one more turn, and end the line only if still nothing came, so a lagging loop cannot cut a code.
      this.byteTimer = this.deps.clock.setTimeout(() => {
        this.byteTimer = undefined;
        if (this.chunksSeen !== chunks) return;
        for (const event of this.decoder.flush()) this.listener.onEvent(event);
      }, 0);
    }, timeoutMs);
  }

  private async lose(handle: SerialHandle, error?: Error): Promise<void> {
    const generation = this.generation;
    this.handle = undefined;
    this.clearTimers();
    // A half-received line is dropped: sending half a bag code on would be worse than asking for a rescan.
    this.decoder.reset();
    const unplugged = !(await this.deps.pathExists(this.config.path));
    const message = unplugged
      ? scannerMessage('unplugged', { path: this.config.path })
      : scannerMessage('connection_lost', { path: this.config.path, detail: error?.message ?? 'closed' });
    if (generation !== this.generation) return;
    this.setStatus('lost', message);
    await handle.close().catch(() => undefined);
    if (generation !== this.generation) return;
    this.setStatus('reconnecting', message);
    this.scheduleRetry(generation);
  }

  private scheduleRetry(generation: number): void {
    const { random, backoffBaseMs, backoffCapMs, clock } = this.deps;
    const delay = backoffDelay(this.attempt, random, backoffBaseMs, backoffCapMs);
    this.attempt++;
    this.retryTimer = clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (generation === this.generation) this.opening = this.connect(generation);
    }, delay);
  }

  private schedulePoll(generation: number, handle: SerialHandle): void {
    this.pollTimer = this.deps.clock.setTimeout(() => {
      this.pollTimer = undefined;
      void this.deps.pathExists(this.config.path).then((exists) => {
        if (generation !== this.generation || this.handle !== handle) return;
        if (exists) this.schedulePoll(generation, handle);
        else this.losing = this.lose(handle);
      });
    }, this.deps.pollMs);
  }

  private clearTimers(): void {
    const { clock } = this.deps;
    for (const timer of [this.retryTimer, this.pollTimer, this.byteTimer]) clock.clearTimeout(timer);
    this.retryTimer = this.pollTimer = this.byteTimer = undefined;
  }

  private setStatus(state: PortState, lastError?: string): void {
    this.current = lastError === undefined ? { state } : { state, lastError };
    this.listener.onStatus(this.status);
  }
}

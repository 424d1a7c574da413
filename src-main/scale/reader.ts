import type { PortClock } from '../scanner/port.ts';
import { systemClock } from '../scanner/port.ts';
import type { ScaleParams, ScalePortProblem, ScaleProblem, ScaleRefusalCode } from './codes.ts';
import type { ScaleConfig } from './config.ts';
import { SCALE_DEFAULTS, framingOf } from './config.ts';
import type { ReadingStream } from './reading-stream.ts';
import { createReadingStream } from './reading-stream.ts';
import type { ScaleReading } from './reading.ts';
import type { ScalePortDeps, ScalePortStatus } from './scale-port.ts';
import { ScalePort } from './scale-port.ts';
import { sicsRequest } from './sics.ts';
import { WeighingWait } from './weighing-wait.ts';

export interface ScaleWeight {
  kg: number;
  tareKg?: number;
  net?: boolean;
  /** The reading as it came over the wire, for the audit trail. */
  raw: string;
  at: number;
  /** Which scale: its path and configured name. */
  path: string;
  name?: string;
}

export type WeighResult =
  | { ok: true; weight: ScaleWeight }
  | { ok: false; refusal: ScaleProblem<ScaleRefusalCode> & { last?: ScaleReading } };

export interface WaitForStableOptions {
  /** A bag is on the scale from this weight on; lighter stable readings are waited past. Default: config minKg. */
  minKg?: number;
  /** Default: config stableTimeoutMs. */
  timeoutMs?: number;
  /**
   * Weigh the bag already on the scale again (a re-weigh after a change to the parent). By default a weighing
   * after one that took a bag counts a weight only once the scale has been emptied, so the bag left on the scale
   * is not weighed for the next parent.
   */
  sameBag?: boolean;
  /** Aborting resolves the wait as scale_cancelled (the worker chose "weigh later"). */
  signal?: AbortSignal;
}

export interface ScaleReaderListener {
  onReading?(reading: ScaleReading, at: number): void;
  onStatus?(status: ScalePortStatus): void;
}

export interface ScaleReaderDeps extends ScalePortDeps {
  clock?: PortClock;
}

/**
 * How long an MT-SICS request may go unanswered before it is sent again (a request sent while the scale was off
 * is lost): `SI` is answered at once, `S` when the scale settles or gives up (`S I`).
 */
const ANSWER_TIMEOUT_MS = { SI: 1000, S: 5000 } as const;

/**
 * Reads one scale in the main process: its port (reconnecting by itself), its protocol's readings, the requests
 * MT-SICS and request-driven ASCII scales need, and weighings. Only readings that arrive after a weighing starts
 * count for it, so a weight left over from the previous bag cannot be taken for this one.
 */
export class ScaleReader {
  private readonly port: ScalePort;
  private readonly clock: PortClock;
  private readonly waits = new Set<WeighingWait>();
  private requestTimer: unknown;
  private latestReading: { reading: ScaleReading; at: number } | undefined;
  /** The minimum of the last weighing that took a bag, until the scale shows less than it (emptied). */
  private lastBagMinKg: number | undefined;

  private constructor(
    readonly config: ScaleConfig,
    private readonly stream: ReadingStream,
    private readonly listener: ScaleReaderListener,
    deps: ScaleReaderDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.port = new ScalePort(
      config.path,
      framingOf(config),
      { onData: (chunk) => this.receive(chunk), onStatus: (status) => this.follow(status) },
      deps,
    );
  }

  /** A reader for the config, or the problem with its ASCII pattern. */
  static create(
    config: ScaleConfig,
    listener: ScaleReaderListener = {},
    deps: ScaleReaderDeps = {},
  ): { ok: true; reader: ScaleReader } | { ok: false; problem: ScaleProblem } {
    const made = createReadingStream(config);
    if (!made.ok) return made;
    return { ok: true, reader: new ScaleReader(config, made.stream, listener, deps) };
  }

  get status(): ScalePortStatus {
    return this.port.status;
  }

  /** The last reading and when it came, for a live weight on the screens. */
  get latest(): { reading: ScaleReading; at: number } | undefined {
    return this.latestReading;
  }

  start(): void {
    this.port.start();
  }

  async stop(): Promise<void> {
    this.stopRequests();
    for (const wait of [...this.waits]) wait.cancel();
    await this.port.stop();
  }

  /**
   * Waits for a stable reading of at least minKg, or says why there is none. Refused at once: the port is not
   * ready or is lost (scale_unplugged), a stable reading above maxKg (scale_out_of_range), an overload
   * that lasts a second (scale_overload; a shorter one is a bag dropped on), an error the scale will repeat (ES, EL: scale_error). Refused at the deadline, by the last
   * reading: unstable (scale_unstable_timeout), under zero (scale_underload), an error (scale_error), the last
   * bag never taken off (scale_not_emptied, see sameBag), only weights under minKg (scale_no_bag), no reading
   * at all (scale_timeout).
   */
  waitForStable(options: WaitForStableOptions = {}): Promise<WeighResult> {
    const { config } = this;
    const minKg = Math.max(options.minKg ?? 0, config.minKg ?? SCALE_DEFAULTS.minKg);
    const maxKg = config.maxKg ?? SCALE_DEFAULTS.maxKg;
    const timeoutMs = options.timeoutMs ?? config.stableTimeoutMs ?? SCALE_DEFAULTS.stableTimeoutMs;
    const base: ScaleParams = { path: config.path, minKg, maxKg, seconds: Math.round(timeoutMs / 100) / 10 };
    if (options.signal?.aborted) return Promise.resolve(this.refusal('scale_cancelled', base));
    if (this.port.status.state !== 'ready') return Promise.resolve(this.refusal('scale_unplugged', base));
    return new Promise<WeighResult>((resolve) => {
      const wait = new WeighingWait({
        minKg,
        maxKg,
        params: base,
        clock: this.clock,
        timeoutMs,
        emptyFirst: this.lastBagMinKg !== undefined && options.sameBag !== true,
        signal: options.signal,
        accept: (reading, at) => {
          this.lastBagMinKg = minKg;
          const weight: ScaleWeight = { kg: reading.kg!, raw: reading.raw, at, path: config.path };
          if (reading.tareKg !== undefined) weight.tareKg = reading.tareKg;
          if (reading.net !== undefined) weight.net = reading.net;
          if (config.name !== undefined) weight.name = config.name;
          return { ok: true, weight };
        },
        done: (result) => {
          this.waits.delete(wait);
          resolve(result);
        },
      });
      this.waits.add(wait);
    });
  }

  private refusal(code: ScaleRefusalCode, params: ScaleParams): WeighResult {
    return { ok: false, refusal: { code, params } };
  }

  private receive(chunk: Buffer): void {
    const at = this.clock.now();
    for (const reading of this.stream.push(chunk)) {
      this.latestReading = { reading, at };
      if (
        reading.kind === 'stable' &&
        reading.kg !== undefined &&
        reading.kg < (this.lastBagMinKg ?? -Infinity)
      )
        this.lastBagMinKg = undefined;
      this.listener.onReading?.(reading, at);
      for (const wait of [...this.waits]) wait.take(reading, at);
      if (this.config.protocol === 'sics') this.scheduleRequest(this.config.pollMs ?? SCALE_DEFAULTS.pollMs);
    }
  }

  private follow(status: ScalePortStatus): void {
    if (status.state === 'ready') {
      this.scheduleRequest(0);
    } else {
      this.stopRequests();
      this.stream.reset();
      if (status.state === 'lost' || status.state === 'reconnecting') {
        const problem: ScaleProblem<ScalePortProblem> = status.problem ?? {
          code: 'scale_unplugged',
          params: { path: this.config.path },
        };
        for (const wait of [...this.waits]) wait.portLost(problem.params);
      }
    }
    this.listener.onStatus?.(status);
  }

  /**
   * MT-SICS: one request at a time; the next goes pollMs after the answer, or again when none came in time.
   * ASCII with `request`: sent every pollMs. Continuous output and plain ASCII: the scale talks by itself.
   */
  private scheduleRequest(delayMs: number): void {
    const request = this.requestBytes();
    if (!request) return;
    this.stopRequests();
    this.requestTimer = this.clock.setTimeout(() => {
      this.requestTimer = undefined;
      void this.port.write(request);
      const command = this.config.sicsCommand ?? 'SI';
      const pollMs = this.config.pollMs ?? SCALE_DEFAULTS.pollMs;
      this.scheduleRequest(this.config.protocol === 'sics' ? ANSWER_TIMEOUT_MS[command] : pollMs);
    }, delayMs);
  }

  private requestBytes(): Uint8Array | undefined {
    if (this.config.protocol === 'sics') return sicsRequest(this.config.sicsCommand ?? 'SI');
    if (this.config.protocol === 'ascii' && this.config.request)
      return Buffer.from(`${this.config.request}\r\n`);
    return undefined;
  }

  private stopRequests(): void {
    this.clock.clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
  }
}

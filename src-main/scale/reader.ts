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
import { WeighingWait, isLoad } from './weighing-wait.ts';

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
  /**
   * A bag is on the scale above this weight (and above zero); readings at or under it are an empty scale, waited
   * past. Default: config minKg.
   */
  minKg?: number;
  /** Default: config stableTimeoutMs. */
  timeoutMs?: number;
  /**
   * Weigh the bag already on the scale again (a re-weigh after a change to the parent). By default a weighing
   * after one that took a bag counts a weight only once the scale has been emptied, so the bag left on the scale
   * is not weighed for the next parent.
   */
  sameBag?: boolean;
  /**
   * Which bag this weighing is for (the parent code). With it, the reader keeps track of whose bag is on the
   * scale, and a new weighing (not sameBag) takes only a bag put on after it started, so it waits for the scale
   * to be emptied when a load is on it already: the bag an earlier weighing took, the bag that reached the scale
   * after its own weighing was refused or put off, or the load found on the scale when the reader started. With
   * sameBag, a load that is this bag's (or found on the scale at start) is taken; another bag's still waits.
   * Without it (a bare weighing), only a bag an earlier weighing took is waited past.
   */
  bag?: string;
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

/** Owners of a load on the scale that are no bag: found there at start; taken by a weighing without a bag. */
const FOUND = Symbol('found on the scale');
const ANONYMOUS = Symbol('taken by a bare weighing');

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
  /**
   * Whose load is on the scale until it shows the minimum or less (emptied): the bag of a weighing that took it or
   * ended while it was on the scale; FOUND for a load found at start; ANONYMOUS for one a bare weighing took.
   */
  private owner: string | typeof FOUND | typeof ANONYMOUS | undefined;
  /** The minimum of the last weighing: the scale is empty at or under it. */
  private emptyAtKg: number;
  /** The bag of the last weighing, and whether any weighing ran since the reader started. */
  private lastBag: string | undefined;
  private weighedSinceStart = false;

  private constructor(
    readonly config: ScaleConfig,
    private readonly stream: ReadingStream,
    private readonly listener: ScaleReaderListener,
    deps: ScaleReaderDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.emptyAtKg = config.minKg ?? SCALE_DEFAULTS.minKg;
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
    const emptyFirst = this.emptyFirst(options, minKg);
    const bag = options.bag;
    this.emptyAtKg = minKg;
    this.lastBag = bag;
    this.weighedSinceStart = true;
    return new Promise<WeighResult>((resolve) => {
      const wait = new WeighingWait({
        minKg,
        maxKg,
        params: base,
        clock: this.clock,
        timeoutMs,
        emptyFirst,
        signal: options.signal,
        accept: (reading, at) => {
          this.owner = bag ?? ANONYMOUS;
          const weight: ScaleWeight = { kg: reading.kg!, raw: reading.raw, at, path: config.path };
          if (reading.tareKg !== undefined) weight.tareKg = reading.tareKg;
          if (reading.net !== undefined) weight.net = reading.net;
          if (config.name !== undefined) weight.name = config.name;
          return { ok: true, weight };
        },
        done: (result) => {
          this.waits.delete(wait);
          // Refused while a bag was on the scale (even one still settling): that bag is this one's. Put off
          // (cancelled: the next parent was completed) likewise, and also when no reading showed the bag yet: it may
          // be on its way (a frame or two behind), so the next weighing takes a bag only after the scale showed
          // itself empty, which an empty scale does at its next reading.
          const latest = this.latestReading?.reading;
          const cancelled = !result.ok && result.refusal.code === 'scale_cancelled';
          const loaded = latest !== undefined && isLoad(latest, minKg);
          if (!result.ok && bag !== undefined && this.owner === undefined && (loaded || cancelled))
            this.owner = bag;
          resolve(result);
        },
      });
      this.waits.add(wait);
    });
  }

  /** Whether a new weighing must first see the scale emptied (see WaitForStableOptions.bag). */
  private emptyFirst(options: WaitForStableOptions, minKg: number): boolean {
    const { bag, sameBag = false } = options;
    const latest = this.latestReading?.reading;
    if (bag === undefined) return this.owner !== undefined && this.owner !== FOUND && !sameBag;
    // A load that came on while no weighing ran: after a weighing, that weighing's bag (put on late); else found.
    if (this.owner === undefined && latest && isLoad(latest, minKg))
      this.owner = this.weighedSinceStart ? (this.lastBag ?? FOUND) : FOUND;
    // Nothing on the scale (or no reading yet: a load that comes now is put on while this weighing runs).
    if (this.owner === undefined) return false;
    return !(sameBag && (this.owner === bag || this.owner === FOUND));
  }

  private refusal(code: ScaleRefusalCode, params: ScaleParams): WeighResult {
    return { ok: false, refusal: { code, params } };
  }

  private receive(chunk: Buffer): void {
    const at = this.clock.now();
    for (const reading of this.stream.push(chunk)) {
      this.latestReading = { reading, at };
      if (reading.kind === 'stable' && !isLoad(reading, this.emptyAtKg)) this.owner = undefined;
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

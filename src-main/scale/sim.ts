import { parseArgs } from 'node:util';
import { LineDecoder } from '../scanner/decoder.ts';
import { scannerMessage } from '../scanner/messages.ts';
import type { SerialHandle } from '../scanner/serial-handle.ts';
import { scaleMessage } from './codes.ts';
import type { OpenFramedSerial, SerialFraming } from './serial-open.ts';
import { DEFAULT_FRAMING, openFramedSerial } from './serial-open.ts';
import { encodeToledoFrame } from './toledo.ts';

export type ScaleSimProtocol = 'sics' | 'continuous' | 'ascii';
export type ScaleSimUnit = 'kg' | 'lb' | 'g';

/** What is on the simulated scale. */
export interface ScaleSimLoad {
  kg: number;
  /** The reading wobbles this long after the load was put on, then settles. */
  unstableMs: number;
  overload: boolean;
  unit: ScaleSimUnit;
}

export interface ScaleSimOptions extends ScaleSimLoad {
  port: string;
  protocol: ScaleSimProtocol;
  framing?: SerialFraming;
  /** Continuous and ASCII: one frame or line this often. Default 100 ms. */
  intervalMs?: number;
  /** Continuous: send the checksum byte. */
  checksum?: boolean;
  openSerial?: OpenFramedSerial;
}

export interface ScaleSim {
  /** Puts another load on the scale; the wobble starts again. */
  set(load: Partial<ScaleSimLoad>): void;
  stop(): Promise<void>;
  /** Resolves when the sim stopped, by stop() or because its port went away. */
  readonly stopped: Promise<void>;
}

const SIM_DEFAULTS = { intervalMs: 100 } as const;
const DECIMALS: Record<ScaleSimUnit, number> = { kg: 2, lb: 1, g: 0 };
const KG_PER: Record<ScaleSimUnit, number> = { kg: 1, lb: 0.45359237, g: 0.001 };

/** The weight shown, in the load's unit: while it wobbles, off by up to 3% around the true weight. */
function shown(load: ScaleSimLoad, sinceMs: number): { value: number; stable: boolean } {
  const stable = sinceMs >= load.unstableMs;
  const kg = stable ? load.kg : load.kg * (1 + 0.03 * Math.sin(sinceMs / 37));
  const factor = 10 ** DECIMALS[load.unit];
  return { value: Math.round((kg / KG_PER[load.unit]) * factor) / factor, stable };
}

function sicsAnswer(load: ScaleSimLoad, sinceMs: number): string {
  if (load.overload) return 'S +';
  const { value, stable } = shown(load, sinceMs);
  return `S ${stable ? 'S' : 'D'} ${value.toFixed(DECIMALS[load.unit]).padStart(10)} ${load.unit}`;
}

function asciiLine(load: ScaleSimLoad, sinceMs: number): string {
  const { value, stable } = shown(load, sinceMs);
  const status = load.overload ? 'OL' : stable ? 'ST' : 'US';
  const digits = Math.abs(value).toFixed(DECIMALS[load.unit]).padStart(7, '0');
  return `${status},GS,${value < 0 ? '-' : '+'}${digits}${load.unit}`;
}

/**
 * Plays a platform scale on a port: answers MT-SICS `SI` and `S` (`S` waits until the load settles), or streams
 * Toledo continuous frames or `ST,GS,+0029.40kg` lines. Runs until stop() or until its port goes away.
 */
export async function startScaleSim(options: ScaleSimOptions): Promise<ScaleSim> {
  const open = options.openSerial ?? openFramedSerial;
  const handle = await open({ path: options.port, ...(options.framing ?? DEFAULT_FRAMING) });
  let load: ScaleSimLoad = {
    kg: options.kg,
    unstableMs: options.unstableMs,
    overload: options.overload,
    unit: options.unit,
  };
  let loadedAt = Date.now();
  const since = (): number => Date.now() - loadedAt;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  let running = true;
  const write = (text: string | Uint8Array): void => {
    if (running)
      void handle.write(typeof text === 'string' ? Buffer.from(text, 'ascii') : text).catch(() => undefined);
  };
  const later = (run: () => void, ms: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (running) run();
    }, ms);
    timers.add(timer);
  };
  const end = (): void => {
    running = false;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    finish();
  };
  handle.onGone(end);

  if (options.protocol === 'sics') answerSics(handle, () => load, since, write, later);
  else {
    const interval = options.intervalMs ?? SIM_DEFAULTS.intervalMs;
    const tick = (): void => {
      if (options.protocol === 'ascii') write(`${asciiLine(load, since())}\r\n`);
      else write(continuousFrame(load, since(), options.checksum ?? false));
      later(tick, interval);
    };
    tick();
  }
  return {
    set(change) {
      load = { ...load, ...change };
      loadedAt = Date.now();
    },
    async stop() {
      if (!running) return stopped;
      end();
      await handle.close().catch(() => undefined);
    },
    stopped,
  };
}

function continuousFrame(load: ScaleSimLoad, sinceMs: number, checksum: boolean): Uint8Array {
  const { value, stable } = shown(load, sinceMs);
  return encodeToledoFrame({
    kg: value,
    unit: load.unit,
    decimals: DECIMALS[load.unit],
    motion: !stable,
    overload: load.overload,
    checksum,
  });
}

function answerSics(
  handle: SerialHandle,
  load: () => ScaleSimLoad,
  since: () => number,
  write: (text: string) => void,
  later: (run: () => void, ms: number) => void,
): void {
  const decoder = new LineDecoder({ parseAim: false, maxLineBytes: 64 });
  const answerWhenStable = (): void => {
    const current = load();
    if (current.overload || since() >= current.unstableMs) write(`${sicsAnswer(current, since())}\r\n`);
    else later(answerWhenStable, Math.min(50, current.unstableMs - since()));
  };
  handle.onData((chunk) => {
    for (const event of decoder.push(chunk)) {
      const command = event.kind === 'line' ? event.text.toUpperCase() : '';
      if (command === 'SI') write(`${sicsAnswer(load(), since())}\r\n`);
      else if (command === 'S') answerWhenStable();
      else write('ES\r\n');
    }
  });
}

const PROTOCOLS: readonly ScaleSimProtocol[] = ['sics', 'continuous', 'ascii'];
const UNITS: readonly ScaleSimUnit[] = ['kg', 'lb', 'g'];

/**
 * `--port PATH --protocol sics|continuous|ascii --kg 29.4 [--unstable-ms N] [--overload] [--unit kg|lb|g]
 * [--baud N] [--checksum]`. Throws an Error whose message says what to fix.
 */
export function parseScaleSimArgs(argv: string[]): ScaleSimOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      protocol: { type: 'string', default: 'sics' },
      kg: { type: 'string', default: '29.4' },
      'unstable-ms': { type: 'string', default: '0' },
      overload: { type: 'boolean', default: false },
      unit: { type: 'string', default: 'kg' },
      baud: { type: 'string' },
      checksum: { type: 'boolean', default: false },
    },
  });
  if (!values.port) throw new Error(scannerMessage('sim_port_missing'));
  const bad = (flag: string, value: string, expected: string): Error =>
    new Error(scaleMessage('scale_sim_bad_option', { flag, value, expected }));
  const protocol = values.protocol ?? 'sics';
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    throw bad('protocol', protocol, 'sics, continuous or ascii');
  const unit = values.unit ?? 'kg';
  if (!(UNITS as readonly string[]).includes(unit)) throw bad('unit', unit, 'kg, lb or g');
  const kg = Number(values.kg);
  if (!Number.isFinite(kg) || Math.abs(kg) > 10_000)
    throw bad('kg', String(values.kg), 'a weight in kg such as 29.4');
  const unstableMs = Number(values['unstable-ms']);
  if (!Number.isInteger(unstableMs) || unstableMs < 0)
    throw bad('unstable-ms', String(values['unstable-ms']), 'a whole number of milliseconds such as 1500');
  const options: ScaleSimOptions = {
    port: values.port,
    protocol: protocol as ScaleSimProtocol,
    kg,
    unstableMs,
    overload: values.overload ?? false,
    unit: unit as ScaleSimUnit,
    checksum: values.checksum ?? false,
  };
  if (values.baud !== undefined) {
    const baudRate = Number(values.baud);
    if (!Number.isInteger(baudRate) || baudRate <= 0)
      throw bad('baud', values.baud, 'a baud rate such as 9600');
    options.framing = { ...DEFAULT_FRAMING, baudRate };
  }
  return options;
}

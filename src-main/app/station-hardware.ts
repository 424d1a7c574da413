import { statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { StationError } from '../../src-shared/errors.ts';
import {
  printerConfigSchema,
  type HardwareSettings,
  type HardwareState,
  type LabelPreview,
  type PrintJobView,
  type PrinterConfig,
  type PrinterState,
  type ScaleState,
} from '../../src-shared/hardware.ts';
import { buildLabelZpl, type LabelFormat } from '../printer/label.ts';
import { renderLabelPng } from '../printer/preview.ts';
import { PrintQueue, type PrintQueueOptions } from '../printer/queue.ts';
import type { PrintJob } from '../printer/queue-rows.ts';
import { openPrinterTransport, type TransportDeps } from '../printer/transport.ts';
import { scaleMessage } from '../scale/codes.ts';
import { scaleConfigSchema, type ScaleConfig } from '../scale/config.ts';
import { ScaleReader, type ScaleReaderDeps } from '../scale/reader.ts';
import {
  hardwarePorts,
  refusePortInUse,
  type HardwareChange,
  type HardwareControl,
  type PortUser,
} from './hardware-control.ts';
import type { Station } from './station.ts';
import type { LabelFacts } from './weight-port.ts';

export interface StationHardwareOptions {
  log?: (line: string) => void;
  scaleDeps?: ScaleReaderDeps;
  transportDeps?: Partial<TransportDeps>;
  queueOptions?: Partial<PrintQueueOptions>;
  /** Live readings go to the screens at most this often (ms); port and queue changes go at once. */
  readingEveryMs?: number;
}

/** A label when no printer is set (preview only): the large layout at the common resolution. */
const PREVIEW_FORMAT: LabelFormat = { layout: '100x150mm', dpi: 203 };

function detailOf(issues: { path: PropertyKey[]; message: string }[], device: string): string {
  return issues
    .slice(0, 3)
    .map((i) => `${device}${i.path.length ? `.${i.path.map(String).join('.')}` : ''}: ${i.message}`)
    .join('; ');
}

export function parseScale(input: unknown): ScaleConfig {
  const parsed = scaleConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new StationError('invalid_input', { detail: detailOf(parsed.error.issues, 'scale') });
  return parsed.data;
}

export function parsePrinter(input: unknown): PrinterConfig {
  const parsed = printerConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new StationError('invalid_input', { detail: detailOf(parsed.error.issues, 'printer') });
  return parsed.data;
}

/**
 * A 'device' printer is written like a file: only a character device (/dev/usb/lp0) may be one. An ordinary file
 * (a typo, the station's own station.db) would be overwritten by each label; a folder or a missing path prints
 * nothing. Checked when the settings are saved (the transport checks again before each label).
 */
export function refuseNonDevicePrinter(printer: PrinterConfig | null): void {
  if (printer?.connection.kind !== 'device') return;
  const { path } = printer.connection;
  let what: string;
  try {
    const stat = statSync(path);
    if (stat.isCharacterDevice()) return;
    what = stat.isFile() ? 'an ordinary file' : stat.isDirectory() ? 'a folder' : 'not a printer device';
  } catch {
    what = 'not there';
  }
  throw new StationError('invalid_input', {
    detail:
      `printer.connection.path: ${path} is ${what}, not a printer device; give the printer's device ` +
      '(such as /dev/usb/lp0, with the printer plugged in and on), or choose a network or serial printer',
  });
}

/**
 * The settings after `change`, each device checked (invalid_input naming the field) and on a port of its own:
 * not a scanner's, not the other device's (port_in_use).
 */
export function checkChange(
  change: HardwareChange,
  now: { scale: ScaleConfig | null; printer: PrinterConfig | null },
  scannerPorts: string[],
): { scale: ScaleConfig | null; printer: PrinterConfig | null } {
  const scale = change.scale === undefined ? now.scale : change.scale && parseScale(change.scale);
  const printer = change.printer === undefined ? now.printer : change.printer && parsePrinter(change.printer);
  if (change.printer) refuseNonDevicePrinter(printer);
  const scanners = scannerPorts.map((path) => ({ path, usedBy: 'scanner' as PortUser }));
  const devices = hardwarePorts({ scale, printer });
  for (const device of devices) {
    const others = devices.filter((d) => d.usedBy !== device.usedBy);
    refusePortInUse(device.path, [...scanners, ...others]);
  }
  return { scale, printer };
}

export function jobView(job: PrintJob): PrintJobView {
  return {
    id: job.id,
    parentCode: job.parentCode,
    reason: job.reason,
    requestedBy: job.requestedBy,
    state: job.state,
    attempts: job.attempts,
    error: job.error?.message ?? null,
    createdAt: job.createdAt,
    sentAt: job.sentAt,
  };
}

/** The print preview: the exact ZPL a job would send for this parent, and that ZPL rendered to a PNG. */
export async function renderPreview(
  facts: LabelFacts,
  format: LabelFormat = PREVIEW_FORMAT,
): Promise<LabelPreview> {
  const zpl = buildLabelZpl(facts, format);
  if (!zpl.ok)
    throw new StationError('label_unprintable', { parent: facts.parentCode, detail: zpl.error.message });
  const png = await renderLabelPng(zpl.value, format.layout, format.dpi);
  return {
    parentCode: facts.parentCode,
    zpl: zpl.value,
    png: `data:image/png;base64,${png.toString('base64')}`,
    layout: format.layout,
    dpi: format.dpi,
  };
}

/**
 * The scale and the label printer of a station, from its saved settings (the twin of station-scanners.ts): a
 * ScaleReader on the scale's port and a PrintQueue on the station database's print_jobs table. State changes go
 * out as onHardwareState (live readings throttled), and hardware.configure reaches it through
 * station.attachHardware. A saved setting that no longer parses is left off with a line in the log, not a crash.
 */
export function startStationHardware(station: Station, options: StationHardwareOptions = {}) {
  const log = options.log ?? (() => {});
  const repo = station.ctx.stationRepo;
  const readingEveryMs = options.readingEveryMs ?? 500;

  function saved<T>(what: string, value: unknown, parse: (v: unknown) => T): T | null {
    if (value === null || value === undefined) return null;
    try {
      return parse(value);
    } catch (e) {
      log(`hardware: the saved ${what} settings are not valid and are left off: ${String(e)}`);
      return null;
    }
  }

  let scaleConfig = saved('scale', repo.scale(), parseScale);
  let printerConfig = saved('printer', repo.printer(), parsePrinter);
  let reader: ScaleReader | null = null;
  let queue: PrintQueue | null = null;
  let target = '';

  // Throttled emission: readings at most every readingEveryMs, anything else at once.
  let lastEmit = 0;
  let trailing: ReturnType<typeof setTimeout> | undefined;
  let lastShown = '';
  let lastSent = '';
  /** Sends the state unless nothing the screens show changed (the idle printer poll answers the same each time). */
  function emitNow(): void {
    clearTimeout(trailing);
    trailing = undefined;
    const now = state();
    const latest = now.scale?.latest;
    const key = JSON.stringify({
      ...now,
      scale: now.scale && { ...now.scale, latest: latest && [latest.kg, latest.kind] },
    });
    if (key === lastSent) return;
    lastSent = key;
    lastEmit = Date.now();
    station.emit('onHardwareState', now);
  }
  function onReading(): void {
    const latest = reader?.latest;
    const shown = latest ? `${latest.reading.kind}:${latest.reading.kg ?? ''}` : '';
    if (shown === lastShown) return;
    lastShown = shown;
    if (trailing) return;
    const wait = lastEmit + readingEveryMs - Date.now();
    if (wait <= 0) emitNow();
    else trailing = setTimeout(emitNow, wait);
  }

  function startScale(config: ScaleConfig): ScaleReader | null {
    const made = ScaleReader.create(config, { onReading, onStatus: emitNow }, options.scaleDeps ?? {});
    if (!made.ok) {
      log(
        `hardware: scale on ${config.path} not started: ${scaleMessage(made.problem.code, made.problem.params)}`,
      );
      return null;
    }
    made.reader.start();
    log(`hardware: scale on ${config.path} (${config.protocol})`);
    return made.reader;
  }

  function startPrinter(config: PrinterConfig): PrintQueue {
    const transport = openPrinterTransport(config.connection, options.transportDeps ?? {});
    target = transport.target;
    const made = new PrintQueue({
      db: station.ctx.sqlite,
      transport,
      ...(options.queueOptions ? { options: options.queueOptions } : {}),
      onChange: emitNow,
      onError: (error) => log(`printer: ${String(error)}`),
    });
    made.start();
    log(`hardware: label printer on ${target} (${config.layout}, ${config.dpi} dpi)`);
    return made;
  }

  if (scaleConfig) reader = startScale(scaleConfig);
  if (printerConfig) queue = startPrinter(printerConfig);

  function settings(): HardwareSettings {
    return {
      scale: scaleConfig ? { ...scaleConfig } : null,
      printer: printerConfig ? { ...printerConfig } : null,
    };
  }

  function scaleState(): ScaleState | null {
    if (!scaleConfig) return null;
    const status = reader?.status;
    const latest = reader?.latest;
    return {
      name: scaleConfig.name ?? scaleConfig.path,
      path: scaleConfig.path,
      protocol: scaleConfig.protocol,
      state: status?.state ?? 'stopped',
      problem: status?.problem ? scaleMessage(status.problem.code, status.problem.params) : null,
      latest: latest ? { kg: latest.reading.kg ?? null, kind: latest.reading.kind, at: latest.at } : null,
    };
  }

  function printerState(): PrinterState | null {
    if (!printerConfig || !queue) return null;
    const { printer, counts } = queue.summary();
    return {
      name: printerConfig.name ?? target,
      target,
      layout: printerConfig.layout,
      dpi: printerConfig.dpi,
      state: printer.state,
      problems: printer.problems,
      error: printer.error?.message ?? null,
      queue: counts,
    };
  }

  function state(): HardwareState {
    return { scale: scaleState(), printer: printerState() };
  }

  function formatOf(): LabelFormat {
    return printerConfig ? { layout: printerConfig.layout, dpi: printerConfig.dpi } : PREVIEW_FORMAT;
  }

  function unprintable(parent: string, detail: string): StationError {
    return new StationError('label_unprintable', { parent, detail });
  }

  const control: HardwareControl = {
    settings,
    state,
    scale: () => reader,
    printsOnComplete: () => !!queue && printerConfig?.printOnComplete !== false,
    lastCompletedLabel: (parentCode) => queue?.lastCompletedChildCount(parentCode),

    print(facts, reason, requestedBy) {
      if (!queue) throw new StationError('printer_not_configured');
      const format = formatOf();
      const queued = queue.enqueueLabel(facts, format, reason, requestedBy);
      if (!queued.ok) {
        // A completed parent whose label cannot be made is a failed job (look-up, the header), never only a log
        // line; a reprint is refused to the supervisor who asked, who sees why.
        if (reason === 'completed') {
          const { layout, dpi } = format;
          const job = {
            parentCode: facts.parentCode,
            childCount: facts.childCount,
            reason,
            requestedBy,
            layout,
            dpi,
          };
          queue.recordUnprintable(job, queued.error.message);
        }
        throw unprintable(facts.parentCode, queued.error.message);
      }
      return jobView(queued.value);
    },

    preview: (facts) => renderPreview(facts, formatOf()),

    configure(change: HardwareChange): Promise<HardwareSettings> {
      // One change at a time (a double click on "Save", two settings tabs): each sees the settings the one
      // before it left, so an old reader or queue is always stopped before its successor starts.
      const next = configuring.then(() => applyChange(change));
      configuring = next.catch(() => undefined);
      return next;
    },
  };

  let configuring: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function applyChange(change: HardwareChange): Promise<HardwareSettings> {
    if (stopped) throw new StationError('hardware_unavailable');
    // Everything is checked before anything is saved or stopped.
    const { scale: nextScale, printer: nextPrinter } = checkChange(
      change,
      { scale: scaleConfig, printer: printerConfig },
      station.scannerPorts(),
    );
    if (!isDeepStrictEqual(nextScale, scaleConfig)) {
      repo.saveScale(nextScale);
      const old = reader;
      reader = null;
      await old?.stop();
      lastShown = '';
      scaleConfig = nextScale;
      if (nextScale) reader = startScale(nextScale);
    }
    if (!isDeepStrictEqual(nextPrinter, printerConfig)) {
      repo.savePrinter(nextPrinter);
      const old = queue;
      queue = null;
      await old?.stop();
      printerConfig = nextPrinter;
      if (nextPrinter) queue = startPrinter(nextPrinter);
    }
    emitNow();
    return settings();
  }

  station.attachHardware(control);

  return {
    control,
    async stop(): Promise<void> {
      station.attachHardware(null);
      stopped = true;
      // A configure under way finishes first: what it started is then stopped here, not left running.
      await configuring;
      clearTimeout(trailing);
      await Promise.all([reader?.stop(), queue?.stop()]);
    },
  };
}

import { realpathSync } from 'node:fs';
import type {
  HardwareSettings,
  HardwareState,
  LabelPreview,
  PrintJobView,
  PrinterConfig,
} from '../../src-shared/hardware.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { ScaleReader } from '../scale/reader.ts';
import type { LabelFacts } from './weight-port.ts';

/** `hardware.configure`: undefined leaves a device as it is, null takes it off. */
export interface HardwareChange {
  scale?: Record<string, unknown> | null | undefined;
  printer?: PrinterConfig | null | undefined;
}

/** The scale and the label printer of a station as the API sees them; attached by the process that owns them. */
export interface HardwareControl {
  settings(): HardwareSettings;
  state(): HardwareState;
  /** Checks, saves and applies new settings (the caller checked the role and writes the audit). */
  configure(change: HardwareChange): Promise<HardwareSettings>;
  /** The running scale, or null when none is configured. */
  scale(): ScaleReader | null;
  /** Whether a completed parent's label is printed at once (a printer is set and printOnComplete is not false). */
  printsOnComplete(): boolean;
  /** The children the parent's last label on completion said, from the print queue's table (kept over restarts). */
  lastCompletedLabel(parentCode: string): number | undefined;
  /** Queues a parent's label: printer_not_configured without a printer, label_unprintable for a bad code. */
  print(facts: LabelFacts, reason: 'completed' | 'reprint', requestedBy: string | null): PrintJobView;
  preview(facts: LabelFacts): Promise<LabelPreview>;
}

export type PortUser = 'scale' | 'label printer' | 'scanner';

/** The serial paths a scale and a printer settings take (a TCP printer takes none). */
export function hardwarePorts(settings: HardwareSettings): { path: string; usedBy: PortUser }[] {
  const ports: { path: string; usedBy: PortUser }[] = [];
  const scalePath = settings.scale?.path;
  if (typeof scalePath === 'string') ports.push({ path: scalePath, usedBy: 'scale' });
  const printer = settings.printer?.connection;
  if (printer && printer.kind !== 'tcp') ports.push({ path: printer.path, usedBy: 'label printer' });
  return ports;
}

/**
 * The device a port path names: a port has many names (socat's link and its /dev/pts/N, /dev/serial/by-id links
 * and /dev/ttyUSB0), so ports are compared by what they resolve to. A path not there (yet) stays as written.
 */
export function portIdentity(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether two port paths name the same device (the same string, or the same real path). */
export function samePort(a: string, b: string): boolean {
  return a === b || portIdentity(a) === portIdentity(b);
}

/** Refuses a device on a port another device of the station uses: each serial port has one reader. */
export function refusePortInUse(path: string, taken: { path: string; usedBy: PortUser }[]): void {
  const clash = taken.find((t) => samePort(t.path, path));
  if (clash) throw new StationError('port_in_use', { path, usedBy: clash.usedBy });
}

import { savedScanners } from '../../src-shared/scanners.ts';
import type { ErrorCode } from '../../src-shared/errors.ts';
import type { Station } from './station.ts';
import { samePort } from './hardware-control.ts';
import type { ScanOutcome } from '../../src-shared/domain.ts';
import { discoverPorts, type CandidatePort, type DiscoveryDeps } from '../scanner/discovery.ts';
import { ScannerHub } from '../scanner/hub.ts';
import type { ScannerRead, ScannerState } from '../../src-shared/scanners.ts';
import type { ScannerPortConfig, ScannerPortDeps } from '../scanner/port.ts';

/** Outcomes a scanner's host ACK reports as good: the read did what the worker meant or changed nothing. */
const goodOutcomes = new Set<ScanOutcome>([
  'parent_active',
  'parent_reopened',
  'linked',
  'parent_full',
  'already_linked',
  'double_read',
]);

export interface StationScannerOptions {
  /** `baglink serve --scanner PATH`: taken for this run, on top of the station's saved list. */
  extraPaths?: string[];
  /** Look for known scanner vendors on USB as well (default true). */
  discover?: boolean;
  discoveryDeps?: Partial<DiscoveryDeps>;
  portDeps?: Partial<ScannerPortDeps>;
  log?: (line: string) => void;
}

/**
 * Wires serial scanners to a station: every read, rejected ones too, goes through station.submitScan (the
 * same path as the keyboard and the API), except a parent's read while the bill screen holds the reads, which
 * goes onto its bill as the bill screen's own entry does (core/bill-reads.ts). Port states go out as
 * onScannerState, and the station's API methods scanners.list / configure / testRead reach the hub through
 * station.attachScanners.
 */
export async function startStationScanners(station: Station, options: StationScannerOptions = {}) {
  const log = options.log ?? (() => {});
  const saved = savedScanners(station.ctx.stationRepo.scanners());
  const configured = [...saved.map((c) => c.path), ...(options.extraPaths ?? [])];
  const reserved = station.hardwareDevices();
  const found = await discoverPorts({
    configuredPaths: configured,
    reserved,
    deps: options.discoveryDeps,
  }).catch((e: unknown) => {
    log(`scanners: discovery failed: ${e instanceof Error ? e.message : String(e)}`);
    return [] as CandidatePort[];
  });
  // The scale's and a serial printer's ports are theirs (discovery leaves them out, saying so).
  const ports = portsToOpen(saved, found, options.discover ?? true, station.hardwarePorts());
  for (const port of found.filter((p) =>
    reserved.some((d) => samePort(d.path, p.path) || samePort(d.path, p.devicePath)),
  ))
    log(`scanners: ${port.path} left out: ${port.reason ?? 'the scale or the label printer uses it'}`);

  const hub = new ScannerHub({
    ports,
    onRead: async (read: ScannerRead) => {
      // A parent read while the bill screen holds the reads goes onto its bill, not through the link flow.
      const onBill = station.billReads.offer(station.session.operator(), read.code, !!read.rejectedReason);
      if (onBill) return onBill;
      const result = await station.submitScan({
        raw: read.raw,
        code: read.code,
        scanner: read.scannerName,
        source: `serial:${read.path}`,
        ...(read.rejectedReason ? { rejectedReason: read.rejectedReason as ErrorCode } : {}),
      });
      return { good: goodOutcomes.has(result.outcome) };
    },
    onState: () => station.emit('onScannerState', hub.list()),
    onReadError: (error, read) =>
      log(`scanners: ${read.scannerName}: the read ${read.raw} was not taken: ${String(error)}`),
    ...(options.portDeps ? { portDeps: options.portDeps } : {}),
  });
  hub.start();
  for (const port of ports) log(`scanners: listening on ${port.path} (${port.name ?? 'unnamed'})`);

  station.attachScanners({
    list: (): ScannerState[] => hub.list(),
    async configure(configs: ScannerPortConfig[]): Promise<ScannerState[]> {
      station.ctx.stationRepo.saveScanners(configs);
      const devices = station.hardwarePorts();
      const extra = (options.extraPaths ?? []).filter(
        (p) => !configs.some((c) => samePort(c.path, p)) && !devices.some((d) => samePort(d, p)),
      );
      await hub.configure([...configs, ...extra.map((path) => ({ path, name: path }))]);
      // A removed port sends no state change of its own: the screens get the new list here.
      station.emit('onScannerState', hub.list());
      return hub.list();
    },
    testRead: (scannerId: string, timeoutMs: number) => hub.testRead(scannerId, timeoutMs),
  });

  return {
    hub,
    found,
    async stop(): Promise<void> {
      await hub.stop();
    },
  };
}

/** By path or by the device it resolves to (realpath): one port has many names. */
function isExcluded(port: CandidatePort, excluded: readonly string[]): boolean {
  return excluded.some((e) => samePort(e, port.path) || samePort(e, port.devicePath));
}

/**
 * Saved configs first (with their settings), then the other ports discovery took, each once by path; none of
 * the `excluded` ports (the scale's, a serial printer's), by path or by the device it resolves to.
 */
export function portsToOpen(
  saved: ScannerPortConfig[],
  found: CandidatePort[],
  discover: boolean,
  excluded: readonly string[] = [],
) {
  const ports = new Map<string, ScannerPortConfig>();
  for (const config of saved)
    if (!excluded.some((e) => samePort(e, config.path))) ports.set(config.path, config);
  for (const port of found) {
    if (!port.taken || ports.has(port.path) || isExcluded(port, excluded)) continue;
    if (!port.configured && !discover) continue;
    const config: ScannerPortConfig = { path: port.path, name: port.vendorName ?? port.path };
    if (port.identityKey) config.identity = port.identityKey;
    ports.set(port.path, config);
  }
  return [...ports.values()];
}

import fsp from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { scannerMessage } from './messages.ts';
import type { DeviceIdentity } from './vendors.ts';
import { identityKey, normalizeUsbId, scannerVendorName, vendorIdFromName } from './vendors.ts';

/** The part of serialport's PortInfo that discovery reads. */
export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface DiscoveryFs {
  readdir(dir: string): Promise<string[]>;
  realpath(file: string): Promise<string>;
  readFile(file: string): Promise<string>;
}

export interface DiscoveryDeps {
  /** Throws where udevadm is missing; discovery then reads /dev and /sys itself. */
  listPorts: () => Promise<ListedPort[]>;
  fs: DiscoveryFs;
}

export interface DiscoverOptions {
  /** Paths the station was told to use: always taken, even ptys and unknown vendors. */
  configuredPaths?: string[];
  /**
   * Ports another device of the station reads (the scale, a serial label printer): never taken as scanners,
   * configured or found, whatever name they are given (compared by the device they resolve to).
   */
  reserved?: { path: string; usedBy: string }[];
  deps?: Partial<DiscoveryDeps>;
}

export interface CandidatePort {
  /** Stable path to open: the /dev/serial/by-id link when there is one. */
  path: string;
  /** What the path resolves to, e.g. /dev/ttyACM0. */
  devicePath: string;
  identity?: Partial<DeviceIdentity>;
  /** vendor:product:serial, lower-case, when all three are known. */
  identityKey?: string;
  vendorName?: string;
  configured: boolean;
  taken: boolean;
  /** Why the port is not taken, as a sentence. */
  reason?: string;
}

export const defaultDiscoveryDeps: DiscoveryDeps = {
  listPorts: () => SerialPort.list(),
  fs: {
    readdir: (dir) => fsp.readdir(dir),
    realpath: (file) => fsp.realpath(file),
    readFile: (file) => fsp.readFile(file, 'utf8'),
  },
};

const BY_ID_DIR = '/dev/serial/by-id';
const USB_TTY = /^tty(USB|ACM)\d+$/;

/** Lists serial ports that may be scanners and says for each whether the station takes it, and why not. */
export async function discoverPorts(options: DiscoverOptions = {}): Promise<CandidatePort[]> {
  const deps: DiscoveryDeps = { ...defaultDiscoveryDeps, ...options.deps };
  let found: Found[];
  try {
    found = (await deps.listPorts()).map((port) => fromListedPort(port));
  } catch {
    found = await scanDev(deps.fs);
  }
  const candidates = found.map((port) => judge(port));
  for (const configured of options.configuredPaths ?? []) {
    const devicePath = await deps.fs.realpath(configured).catch(() => configured);
    const match = candidates.find(
      (c) => c.path === configured || c.devicePath === configured || c.devicePath === devicePath,
    );
    if (match) {
      match.configured = true;
      match.taken = true;
      delete match.reason;
    } else {
      candidates.push({ path: configured, devicePath, configured: true, taken: true });
    }
  }
  for (const device of options.reserved ?? []) {
    const devicePath = await deps.fs.realpath(device.path).catch(() => device.path);
    for (const c of candidates) {
      if (![c.path, c.devicePath].some((p) => p === device.path || p === devicePath)) continue;
      c.taken = false;
      c.reason = `Used by the ${device.usedBy}: the station reads it as that, not as a scanner.`;
    }
  }
  return candidates;
}

interface Found {
  path: string;
  devicePath: string;
  identity: Partial<DeviceIdentity>;
  manufacturer?: string;
}

function fromListedPort(port: ListedPort): Found {
  const identity = compactIdentity({
    vendorId: normalizeUsbId(port.vendorId),
    productId: normalizeUsbId(port.productId),
    serialNumber: port.serialNumber,
  });
  const manufacturer = port.manufacturer ?? port.pnpId;
  return { path: port.path, devicePath: port.path, identity, ...(manufacturer ? { manufacturer } : {}) };
}

function judge(port: Found): CandidatePort {
  const vendorId = port.identity.vendorId ?? vendorIdFromName(port.manufacturer);
  const vendorName = scannerVendorName(vendorId);
  const key = identityKey(port.identity);
  const candidate: CandidatePort = {
    path: port.path,
    devicePath: port.devicePath,
    identity: port.identity,
    configured: false,
    taken: vendorName !== undefined,
    ...(key ? { identityKey: key } : {}),
    ...(vendorName ? { vendorName } : {}),
  };
  if (!candidate.taken) {
    candidate.reason = vendorId
      ? scannerMessage('vendor_not_scanner', { vendorId, path: port.path })
      : scannerMessage('vendor_unknown', { path: port.path });
  }
  return candidate;
}

/** Fallback for machines where SerialPort.list() throws: /dev/serial/by-id, then bare ttyUSB/ttyACM nodes. */
async function scanDev(fs: DiscoveryFs): Promise<Found[]> {
  const found: Found[] = [];
  for (const name of (await fs.readdir(BY_ID_DIR).catch(() => [] as string[])).sort()) {
    const link = path.join(BY_ID_DIR, name);
    const devicePath = await fs.realpath(link).catch(() => undefined);
    if (!devicePath) continue;
    const fromName = parseByIdName(name);
    const fromSys = await readSysIdentity(fs, devicePath);
    const identity = compactIdentity({ serialNumber: fromName.serialNumber, ...fromSys });
    found.push({ path: link, devicePath, identity, manufacturer: fromName.manufacturer });
  }
  const devNames = (await fs.readdir('/dev').catch(() => [] as string[]))
    .filter((n) => USB_TTY.test(n))
    .sort();
  for (const name of devNames) {
    const devicePath = path.join('/dev', name);
    if (found.some((f) => f.devicePath === devicePath)) continue;
    found.push({ path: devicePath, devicePath, identity: await readSysIdentity(fs, devicePath) });
  }
  return found;
}

/**
 * `usb-Honeywell_Imaging___Mobility_1900_17060B5A25-if00` -> manufacturer and model text, serial `17060B5A25`.
 * udev builds the name as usb-<vendor>_<model>_<serial>-if<NN>; the serial is the last underscore part.
 */
export function parseByIdName(name: string): { manufacturer?: string; serialNumber?: string } {
  const body = name.replace(/^usb-/, '').replace(/-if\d+(-port\d+)?$/, '');
  const cut = body.lastIndexOf('_');
  if (cut <= 0) return { manufacturer: body };
  return { manufacturer: body.slice(0, cut), serialNumber: body.slice(cut + 1) };
}

/** Reads idVendor/idProduct/serial from the USB device above /sys/class/tty/<name>/device. */
async function readSysIdentity(fs: DiscoveryFs, devicePath: string): Promise<Partial<DeviceIdentity>> {
  let dir = await fs.realpath(`/sys/class/tty/${path.basename(devicePath)}/device`).catch(() => undefined);
  for (let depth = 0; dir && depth < 4; depth++, dir = path.dirname(dir)) {
    const vendorId = await readTrimmed(fs, path.join(dir, 'idVendor'));
    if (vendorId === undefined) continue;
    return compactIdentity({
      vendorId: normalizeUsbId(vendorId),
      productId: normalizeUsbId(await readTrimmed(fs, path.join(dir, 'idProduct'))),
      serialNumber: await readTrimmed(fs, path.join(dir, 'serial')),
    });
  }
  return {};
}

async function readTrimmed(fs: DiscoveryFs, file: string): Promise<string | undefined> {
  const text = await fs.readFile(file).catch(() => undefined);
  return text?.trim() || undefined;
}

function compactIdentity(identity: {
  [K in keyof DeviceIdentity]?: string | undefined;
}): Partial<DeviceIdentity> {
  const out: Partial<DeviceIdentity> = {};
  if (identity.vendorId) out.vendorId = identity.vendorId;
  if (identity.productId) out.productId = identity.productId;
  if (identity.serialNumber) out.serialNumber = identity.serialNumber;
  return out;
}

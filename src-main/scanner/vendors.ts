/**
 * USB vendor ids of barcode scanner makers. Only ids we are sure of: a wrong id would make the station grab some
 * other serial device (a GPS, a modem), while a missing one only means the path must be added by hand.
 */
export const scannerVendors: Readonly<Record<string, string>> = {
  '05e0': 'Zebra (Symbol)',
  '0c2e': 'Honeywell (Metrologic)',
  '0536': 'Honeywell (Hand Held Products)',
  '05f9': 'Datalogic (PSC)',
  '080c': 'Datalogic',
  '1eab': 'Newland',
  '065a': 'Opticon',
};

/** Maker names as they appear in /dev/serial/by-id links, for when the vendor id cannot be read. */
const vendorNamePatterns: ReadonlyArray<[RegExp, string]> = [
  [/symbol|zebra/i, '05e0'],
  [/honeywell|metrologic/i, '0c2e'],
  [/hand_?held/i, '0536'],
  [/datalogic/i, '080c'],
  [/newland/i, '1eab'],
  [/opticon/i, '065a'],
];

export function normalizeUsbId(id: string | undefined): string | undefined {
  const trimmed = id?.trim().toLowerCase().replace(/^0x/, '');
  return trimmed ? trimmed.padStart(4, '0') : undefined;
}

/** The maker's name when the vendor id is a known scanner maker, else undefined. Case does not matter. */
export function scannerVendorName(vendorId: string | undefined): string | undefined {
  const id = normalizeUsbId(vendorId);
  return id === undefined ? undefined : scannerVendors[id];
}

/** Guesses a known scanner vendor id from a manufacturer string such as `Honeywell_Imaging___Mobility`. */
export function vendorIdFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  return vendorNamePatterns.find(([pattern]) => pattern.test(name))?.[1];
}

export interface DeviceIdentity {
  vendorId: string;
  productId: string;
  serialNumber: string;
}

/**
 * The key a scanner is remembered by across replugs and port renumbering: vendor:product:serial, lower-case.
 * Undefined when any part is missing, because two identical scanners without serials would share a key.
 */
export function identityKey(identity: Partial<DeviceIdentity> | undefined): string | undefined {
  const vendorId = normalizeUsbId(identity?.vendorId);
  const productId = normalizeUsbId(identity?.productId);
  const serial = identity?.serialNumber?.trim().toLowerCase();
  if (!vendorId || !productId || !serial) return undefined;
  return `${vendorId}:${productId}:${serial}`;
}

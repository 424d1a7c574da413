import { z } from 'zod';

/** One configured scanner as stored in the station row and sent by `scanners.configure`. */
export const scannerConfigSchema = z
  .object({
    path: z.string().min(1).max(256),
    name: z.string().max(64).optional(),
    identity: z.string().max(128).optional(),
    baudRate: z.number().int().min(300).max(4_000_000).optional(),
    prefix: z.string().max(16).optional(),
    suffix: z.string().max(16).optional(),
    interByteTimeoutMs: z.number().int().min(0).max(5000).optional(),
    maxLineBytes: z.number().int().min(16).max(65_536).optional(),
    hostAck: z.boolean().optional(),
    parseAim: z.boolean().optional(),
  })
  .strict();

/** The scanners saved in the station row; an entry a later version cannot read is left out, not fatal. */
export function savedScanners(stored: unknown[]): ScannerConfig[] {
  return stored.flatMap((c) => {
    const parsed = scannerConfigSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A serial port's link: connecting, ready, lost (unplugged or failed), reconnecting, stopped. */
export type PortState = 'connecting' | 'ready' | 'lost' | 'reconnecting' | 'stopped';

export interface ScannerRead {
  scannerId: string;
  scannerName: string;
  path: string;
  /** What came over the wire for this line (escaped and capped when rejected). */
  raw: string;
  /** Text after prefix, suffix and AIM identifier were stripped; empty when rejected. */
  code: string;
  aim?: string;
  at: number;
  /** Set when the line was not usable (line_too_long, invalid_utf8, control_characters). */
  rejectedReason?: string;
}

export interface ScannerState {
  id: string;
  name: string;
  path: string;
  identity?: string;
  state: PortState;
  lastError?: string;
  lastReadAt?: number;
  reads: number;
}

export type ScannerConfig = z.infer<typeof scannerConfigSchema>;

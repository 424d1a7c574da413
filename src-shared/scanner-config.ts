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
export function savedScanners(stored: unknown[]): z.infer<typeof scannerConfigSchema>[] {
  return stored.flatMap((c) => {
    const parsed = scannerConfigSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

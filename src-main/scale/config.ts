import { z } from 'zod';
import { parseWeightPattern } from './ascii-pattern.ts';
import { scaleMessage } from './codes.ts';
import type { SerialFraming } from './serial-open.ts';
import { DEFAULT_FRAMING } from './serial-open.ts';

const words = z.array(z.string().regex(/^[A-Za-z]{1,8}$/)).max(8);

/** One configured scale, as the station row stores it (hardware.configure; the twin of src-shared/scanners.ts). */
export const scaleConfigSchema = z
  .object({
    path: z.string().min(1).max(256),
    name: z.string().max(64).optional(),
    baudRate: z.number().int().min(300).max(4_000_000).optional(),
    dataBits: z.union([z.literal(7), z.literal(8)]).optional(),
    parity: z.enum(['none', 'even', 'odd']).optional(),
    stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
    protocol: z.enum(['sics', 'continuous', 'ascii']),
    /** MT-SICS: `SI` asks for the weight now (default), `S` for the next stable one. */
    sicsCommand: z.enum(['SI', 'S']).optional(),
    /** Continuous: the terminal sends a checksum byte after CR. */
    checksum: z.boolean().optional(),
    /** ASCII: the line pattern (ascii-pattern.ts), its status words and the unit of lines that carry none. */
    pattern: z.string().min(1).max(200).optional(),
    statusWords: z
      .object({ stable: words, unstable: words, overload: words, underload: words })
      .partial()
      .strict()
      .optional(),
    unit: z.enum(['kg', 'g', 'lb', 'oz', 't']).optional(),
    /** ASCII: text sent every pollMs to ask for a line (indicators in "print on request" mode), e.g. "P". */
    request: z
      .string()
      .regex(/^[\x20-\x7e]{1,16}$/)
      .optional(),
    /** How often a request (MT-SICS, or ASCII with `request`) is sent, in ms. Default 250. */
    pollMs: z.number().int().min(50).max(10_000).optional(),
    /** Readings outside this range are refused; below minKg the station waits for the bag. In kg. */
    minKg: z.number().min(0).max(100_000).optional(),
    maxKg: z.number().min(0).max(100_000).optional(),
    /** How long a weighing waits for a stable reading, in ms. Default 15000. */
    stableTimeoutMs: z.number().int().min(500).max(300_000).optional(),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.protocol === 'ascii' && config.pattern !== undefined) {
      const parsed = parseWeightPattern(config.pattern, config.statusWords);
      if (!parsed.ok)
        context.addIssue({
          code: 'custom',
          path: ['pattern'],
          message: scaleMessage(parsed.problem.code, parsed.problem.params),
        });
    }
    if (config.minKg !== undefined && config.maxKg !== undefined && config.minKg > config.maxKg)
      context.addIssue({ code: 'custom', path: ['maxKg'], message: 'maxKg is below minKg.' });
  });

export type ScaleConfig = z.infer<typeof scaleConfigSchema>;
export type ScaleProtocol = ScaleConfig['protocol'];

export const SCALE_DEFAULTS = {
  pollMs: 250,
  minKg: 0,
  maxKg: 1000,
  stableTimeoutMs: 15_000,
} as const;

export function framingOf(config: ScaleConfig): SerialFraming {
  return {
    baudRate: config.baudRate ?? DEFAULT_FRAMING.baudRate,
    dataBits: config.dataBits ?? DEFAULT_FRAMING.dataBits,
    parity: config.parity ?? DEFAULT_FRAMING.parity,
    stopBits: config.stopBits ?? DEFAULT_FRAMING.stopBits,
  };
}

import { z } from 'zod';
import type { PortState } from './scanners.ts';

/**
 * The dock hardware beside the scanners (issue 16): a platform scale and a ZPL label printer. These are the
 * shapes the core, the main process and the screens share; the scale's own settings schema lives with its
 * parsers (src-main/scale/config.ts) and is checked by the main process.
 */

export const labelLayouts = ['100x150mm', '4x2in'] as const;
export const printerDpis = [203, 300] as const;

/** The label printer as stored in the station row (`hardware.configure`). */
export const printerConfigSchema = z
  .object({
    connection: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('tcp'),
          host: z
            .string()
            .min(1)
            .max(253)
            .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or an IP address'),
          port: z.number().int().min(1).max(65_535).optional(),
        })
        .strict(),
      z
        .object({
          kind: z.literal('serial'),
          path: z.string().min(1).max(256),
          baudRate: z.number().int().min(300).max(4_000_000).optional(),
        })
        .strict(),
      z.object({ kind: z.literal('device'), path: z.string().min(1).max(256) }).strict(),
    ]),
    name: z.string().max(64).optional(),
    layout: z.enum(labelLayouts),
    dpi: z.union([z.literal(203), z.literal(300)]),
    /** Print a parent's label when it is completed (default true); off: labels only by reprint from look-up. */
    printOnComplete: z.boolean().optional(),
  })
  .strict();

export type PrinterConfig = z.infer<typeof printerConfigSchema>;

/** Where a parent's weight stands. estimated: never weighed (or weighed before the station had a scale). */
export type WeightState = 'recorded' | 'stale' | 'later' | 'estimated';

/** The weight check of one weighing: none when the station has no nominal child weight to compare with. */
export type WeightCheck = 'none' | 'ok' | 'off';

/** A parent's newest weighing, as look-up, bills and the scan screen show it. */
export interface ParentWeight {
  parentCode: string;
  state: WeightState;
  /** What the scale showed (gross, kg); null for "weigh later" and estimated. */
  kg: number | null;
  /** The empty parent bag's weight (the profile's parentTareKg when weighed). */
  tareKg: number | null;
  /** Children in the parent when weighed (or now, for an estimate). */
  childCount: number;
  /** tare + children x nominal child weight. */
  expectedKg: number | null;
  check: WeightCheck;
  /** kg - expectedKg: negative when bags seem missing. */
  gapKg: number | null;
  /** gapKg / nominal child weight, rounded: "about 2 bags missing" is -2. */
  gapBags: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** The scale's name or path. */
  scale: string | null;
  /** Who completed the parent when it was weighed. */
  by: string | null;
  at: number | null;
}

/** A weighing in progress or just ended, for the scan screen: the onWeighing event and `weights.current`. */
export interface WeighingState {
  parentCode: string;
  /**
   * waiting: for a stable reading above the minimum, until deadlineAt. recorded: weighed and within tolerance
   * (or no check). off: weighed, off by more than the tolerance: an orange flash until a supervisor
   * acknowledges. refused: no weight taken (refusal says why): weigh again or "weigh later". later: put off.
   */
  phase: 'waiting' | 'recorded' | 'off' | 'refused' | 'later';
  deadlineAt: number | null;
  weight: ParentWeight | null;
  refusal: { code: string; message: string; params: Record<string, string | number> } | null;
  /** The next parent waits for this one (the profile's weightRequired). */
  blocksNextParent: boolean;
}

export interface ScaleState {
  name: string;
  path: string;
  protocol: string;
  state: PortState;
  /** Why the port is not ready (a sentence), when it is not. */
  problem: string | null;
  /** The last reading: kg when it had one, and whether it was stable. */
  latest: { kg: number | null; kind: string; at: number } | null;
}

export type PrintJobState = 'pending' | 'sending' | 'sent' | 'sent_unconfirmed' | 'failed';

export interface PrintJobView {
  id: number;
  parentCode: string;
  reason: 'completed' | 'reprint';
  requestedBy: string | null;
  state: PrintJobState;
  attempts: number;
  error: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface PrinterState {
  name: string;
  target: string;
  layout: (typeof labelLayouts)[number];
  dpi: (typeof printerDpis)[number];
  /**
   * ready: answered ~HS with nothing wrong. problem: answered with a problem (paper out, head open, paused ...).
   * silent: takes bytes but says nothing (labels are "sent, unconfirmed"). unreachable: connection failed.
   */
  state: 'unknown' | 'ready' | 'problem' | 'silent' | 'unreachable';
  problems: string[];
  /** The sentence for the first blocking problem or the connection failure. */
  error: string | null;
  queue: Record<PrintJobState, number>;
}

/** `hardware.state` and the onHardwareState event: what the header and the settings screen show. */
export interface HardwareState {
  scale: ScaleState | null;
  printer: PrinterState | null;
}

/** `hardware.get`: the saved settings (admins change them with `hardware.configure`). */
export interface HardwareSettings {
  /** The scale's settings (src-main/scale/config.ts), null when none is attached. */
  scale: Record<string, unknown> | null;
  printer: PrinterConfig | null;
}

/** What a parent's label prints (src-main/printer builds the ZPL from it; the core gathers it). */
export interface LabelFacts {
  parentCode: string;
  childCount: number;
  /** The recorded weight, or the estimate (children x nominal child weight); null when there is neither. */
  weightKg: number | null;
  weightEstimated: boolean;
  station: string;
  operator: string;
  /** When the parent was completed, ms since the epoch. */
  at: number;
  billNumber: string | null;
}

/** `printer.preview`: the label as ZPL and as a PNG data URL (the same ZPL rendered). */
export interface LabelPreview {
  parentCode: string;
  zpl: string;
  png: string;
  layout: (typeof labelLayouts)[number];
  dpi: (typeof printerDpis)[number];
}

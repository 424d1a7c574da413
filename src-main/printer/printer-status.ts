import type { HostStatus, PrinterProblem } from './host-status.ts';
import type { PrinterError, PrinterMessageCode } from './messages.ts';
import { printerError } from './messages.ts';

/**
 * What the header and the settings screen show about the printer.
 * ready: it answered ~HS with nothing wrong. problem: it answered with a problem. silent: it took bytes but said
 * nothing (a device file, a printer without status, or one whose paper is out: Zebra's do not answer then).
 * unreachable: the connection failed. unknown: not asked yet.
 */
export interface PrinterStatus {
  state: 'unknown' | 'ready' | 'problem' | 'silent' | 'unreachable';
  problems: PrinterProblem[];
  /** The sentence for the first blocking problem or the connection failure. */
  error: PrinterError | null;
  checkedAt: number | null;
}

/** Problems that stop labels from printing: a job waits for them to clear instead of being sent into them. */
const BLOCKING: Partial<Record<PrinterProblem, PrinterMessageCode>> = {
  paper_out: 'printer_paper_out',
  ribbon_out: 'printer_ribbon_out',
  head_open: 'printer_head_open',
  paused: 'printer_paused',
  buffer_full: 'printer_buffer_full',
  over_temperature: 'printer_over_temperature',
};

export function blockingProblem(status: HostStatus | undefined): PrinterMessageCode | undefined {
  return status?.problems.map((problem) => BLOCKING[problem]).find((code) => code !== undefined);
}

export function statusFromAnswer(status: HostStatus | undefined, target: string, at: number): PrinterStatus {
  if (!status)
    return {
      state: 'silent',
      problems: [],
      error: printerError('printer_no_answer', { target }),
      checkedAt: at,
    };
  const blocking = blockingProblem(status);
  return {
    state: status.problems.length > 0 ? 'problem' : 'ready',
    problems: status.problems,
    error: blocking ? printerError(blocking, { target }) : null,
    checkedAt: at,
  };
}

export function unreachableStatus(target: string, detail: string, at: number): PrinterStatus {
  return {
    state: 'unreachable',
    problems: [],
    error: printerError('printer_unreachable', { target, detail }),
    checkedAt: at,
  };
}

/** ECONNREFUSED, ENOENT ... or the message: what the sentence puts in brackets. */
export function errorDetail(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  if (typeof err?.code === 'string') return err.code;
  return typeof err?.message === 'string' ? err.message : String(error);
}

import type { ScanResult } from '../../src-main/core/types.ts';
import type { Sound } from './sounds.ts';

/** What the worker sees and hears for one read. Errors stay on screen until acknowledged. */
export type FlashKind = 'ok' | 'parent' | 'full' | 'duplicate' | 'error';

export interface Flash {
  id: string;
  kind: FlashKind;
  sound: Sound;
  /** i18n key of the big headline. */
  title: string;
  code: string;
  /** Already translated sentence under the headline. */
  message: string;
  sticky: boolean;
}

export function flashOfScan(result: ScanResult, message: string): Flash {
  const base = { id: result.scanId, code: result.code || result.raw, message };
  switch (result.outcome) {
    case 'linked':
      return { ...base, kind: 'ok', sound: 'ok', title: 'flash.linked', sticky: false };
    case 'parent_active':
      return { ...base, kind: 'parent', sound: 'parent', title: 'flash.parent', sticky: false };
    case 'parent_full':
      return { ...base, kind: 'full', sound: 'full', title: 'flash.parentFull', sticky: false };
    case 'already_linked':
      return { ...base, kind: 'duplicate', sound: 'duplicate', title: 'flash.alreadyLinked', sticky: false };
    case 'double_read':
    case 'command':
      return { ...base, kind: 'duplicate', sound: 'duplicate', title: 'flash.doubleRead', sticky: false };
    case 'rejected':
      return { ...base, kind: 'error', sound: 'error', title: 'flash.refused', sticky: true };
  }
}

/** A keyboard read while the station is unreachable: red, held until acknowledged, and it says nothing was saved. */
let notSavedCount = 0;
export function notSavedFlash(code: string, message: string): Flash {
  notSavedCount += 1;
  return {
    id: `not-saved-${notSavedCount}`,
    kind: 'error',
    sound: 'error',
    title: 'outage.notSavedTitle',
    code,
    message,
    sticky: true,
  };
}

/** How long a non-error flash stays before it fades; errors wait for a tap or the ACK barcode. */
export const flashMs: Record<FlashKind, number> = {
  ok: 600,
  parent: 900,
  duplicate: 900,
  full: 2500,
  error: Infinity,
};

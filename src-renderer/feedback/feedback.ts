import type { ScanResult } from '../../src-shared/domain.ts';
import type { ParentWeight } from '../../src-shared/hardware.ts';
import type { Sound } from './sounds.ts';

/** What the worker sees and hears for one read or change. Errors stay on screen until acknowledged. */
export type FlashKind = 'ok' | 'parent' | 'full' | 'duplicate' | 'error' | 'weight';

/** The shape beside the colour, so no outcome depends on telling colours apart. */
export type FlashIcon =
  | 'ok'
  | 'parent'
  | 'reopened'
  | 'full'
  | 'duplicate'
  | 'double'
  | 'error'
  | 'undo'
  | 'complete'
  | 'offline'
  | 'weight';

export interface Flash {
  id: string;
  kind: FlashKind;
  icon: FlashIcon;
  sound: Sound;
  /** i18n key of the big headline. */
  title: string;
  code: string;
  /** The parent's fill at headline size ("14 / 30"), when the flash is about a parent. */
  count?: { count: number; capacity: number };
  /** Already translated sentence under the headline. */
  message: string;
  sticky: boolean;
  /**
   * Who may clear a sticky flash. Unset: anyone, with a tap or the ACK barcode. 'supervisor': only a supervisor's
   * acknowledgement recorded by the station (a parent whose weight is off); the screen then drops the flash.
   */
  ack?: 'supervisor';
  /** The parent the flash is about, for a flash the station clears (the weight check). */
  parentCode?: string;
  /** The weighing an orange flash is about: its sentence is worded at render time, in the language on show. */
  weight?: ParentWeight;
}

function countOf(result: ScanResult): Flash['count'] {
  const parent = result.activeParent;
  return parent ? { count: parent.childCount, capacity: parent.capacity } : undefined;
}

export function flashOfScan(result: ScanResult, message: string): Flash {
  const base = { id: result.scanId, code: result.code || result.raw, message, count: countOf(result) };
  switch (result.outcome) {
    case 'linked':
      return { ...base, kind: 'ok', icon: 'ok', sound: 'ok', title: 'flash.linked', sticky: false };
    case 'parent_active':
      return {
        ...base,
        kind: 'parent',
        icon: 'parent',
        sound: 'parent',
        title: 'flash.parent',
        sticky: false,
      };
    case 'parent_reopened':
      return {
        ...base,
        kind: 'parent',
        icon: 'reopened',
        sound: 'reopened',
        title: 'floor.reopened',
        sticky: false,
      };
    case 'parent_full':
      return { ...base, kind: 'full', icon: 'full', sound: 'full', title: 'flash.parentFull', sticky: false };
    case 'already_linked':
      return {
        ...base,
        kind: 'duplicate',
        icon: 'duplicate',
        sound: 'duplicate',
        title: 'flash.alreadyLinked',
        sticky: false,
      };
    case 'double_read':
    case 'command':
      return {
        ...base,
        kind: 'duplicate',
        icon: 'double',
        sound: 'double',
        title: 'flash.doubleRead',
        sticky: false,
      };
    case 'rejected':
      return { ...base, count: undefined, ...refusal() };
  }
}

const refusal = () =>
  ({ kind: 'error', icon: 'error', sound: 'error', title: 'flash.refused', sticky: true }) as const;

let localCount = 0;
/** Flashes made in the page (not a scan result): each needs an id of its own for the queue and other tabs. */
const localId = (what: string) => `${what}-${Date.now()}-${++localCount}`;

/** A refusal that did not come from a scan result: a command the role may not use, a failed undo. */
export function refusedFlash(code: string, message: string): Flash {
  return { id: localId('refused'), code, message, ...refusal() };
}

/** A keyboard read sent just as the link dropped: no answer, so whether it was saved is not known. Red, held. */
export function unconfirmedFlash(code: string, message: string): Flash {
  return { ...notSavedFlash(code, message), id: localId('unconfirmed'), title: 'outage.unconfirmedTitle' };
}

/** A keyboard read while the station is unreachable: red, held until acknowledged, and it says nothing was saved. */
export function notSavedFlash(code: string, message: string): Flash {
  return {
    id: localId('not-saved'),
    code,
    message,
    ...refusal(),
    icon: 'offline',
    title: 'outage.notSavedTitle',
  };
}

/** Undo and complete parent, from a button or a command barcode on either scanner: a change with its own flash. */
export function changeFlash(
  change: 'undo' | 'complete',
  code: string,
  message: string,
  count?: Flash['count'],
): Flash {
  return {
    id: localId(change),
    kind: change === 'undo' ? 'duplicate' : 'parent',
    icon: change,
    sound: change,
    title: change === 'undo' ? 'floor.undone' : 'floor.completed',
    code,
    count,
    message,
    sticky: false,
  };
}

/**
 * A parent whose weight is off: orange, its own icon and sound, held until a supervisor acknowledges it in the
 * station. The id is the weighing's, so hearing the same weighing again does not show it twice.
 */
export function weightFlash(parentCode: string, weight: ParentWeight, message: string): Flash {
  return {
    id: weightFlashId(parentCode, weight.at),
    kind: 'weight',
    icon: 'weight',
    sound: 'weight',
    title: 'flash.weightOff',
    code: parentCode,
    message,
    sticky: true,
    ack: 'supervisor',
    parentCode,
    weight,
  };
}

export const weightFlashId = (parentCode: string, weighedAt: number | null) =>
  `weight-${parentCode}-${weighedAt ?? 0}`;

/** How long a non-error flash stays before it fades; errors wait for a tap or the ACK barcode. */
export const flashMs: Record<FlashKind, number> = {
  ok: 600,
  parent: 900,
  duplicate: 900,
  full: 2500,
  error: Infinity,
  weight: Infinity,
};

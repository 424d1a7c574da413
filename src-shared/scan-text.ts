import type { ActiveParent, ScanOutcome } from './domain.ts';
import { fillSentence } from './errors.ts';

/**
 * The sentence a read gets, by what it did (a refused read gets its error's sentence instead). The station's
 * ScanResult.message fills these in English; the screens' en.ts uses the same table and hi.ts follows its keys.
 */
export const scanSentences = {
  parent: 'Parent {code}: {count} of {capacity} bags.',
  reopened: 'Parent {code} reopened: {count} of {capacity} bags.',
  parentIsFull: 'Parent {code} is full ({count} of {capacity}): scan the next parent bag.',
  linked: '{code} is in {parent}: {count} of {capacity}.',
  full: '{code} is in {parent}: the parent is full. Scan the next parent bag.',
  already: '{code} is already in {parent}. Nothing changed.',
  command: 'Command {code}.',
  double: '{code} was read twice: the second read was ignored.',
} as const;

export type ScanSentence = keyof typeof scanSentences;

/** Which sentence a read that was not refused gets, and the values in it. */
export function scanSentenceOf(
  outcome: ScanOutcome,
  code: string,
  activeParent: ActiveParent | null,
): { key: ScanSentence; values: { code: string; parent: string; count: number; capacity: number } } {
  const values = {
    code,
    parent: activeParent?.code ?? '',
    count: activeParent?.childCount ?? 0,
    capacity: activeParent?.capacity ?? 0,
  };
  // A full parent scanned itself (not a child that filled it): it is the active parent now.
  if (outcome === 'parent_full' && code === activeParent?.code) return { key: 'parentIsFull', values };
  const key = sentenceOfOutcome[outcome];
  return { key, values };
}

const sentenceOfOutcome: Record<ScanOutcome, ScanSentence> = {
  parent_active: 'parent',
  parent_reopened: 'reopened',
  linked: 'linked',
  parent_full: 'full',
  already_linked: 'already',
  command: 'command',
  double_read: 'double',
  // Not reached: a rejected read has a reason, whose error sentence it gets.
  rejected: 'double',
};

/** The English sentence of a read that was not refused: ScanResult.message. */
export function scanMessage(outcome: ScanOutcome, code: string, activeParent: ActiveParent | null): string {
  const { key, values } = scanSentenceOf(outcome, code, activeParent);
  return fillSentence(scanSentences[key], values);
}

import type { TFunction } from 'i18next';
import type { SyncProgress } from '../../src-shared/sync-status.ts';

const compact = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n);

/** "Loading from the centre: bags 1.2M of 2.0M": what a long sync step moves and how far it is. */
export function progressText(p: SyncProgress, t: TFunction): string {
  const what = t(`syncProgress.entities.${p.entity}`, { defaultValue: p.entity });
  const values = { what, done: compact(p.done), total: p.total ? compact(p.total) : '' };
  if (p.step === 'pulling') return t('syncProgress.pulling', values);
  if (p.step === 'pushing') return t('syncProgress.pushing', values);
  return t(p.total ? 'syncProgress.loadingOf' : 'syncProgress.loading', values);
}

/** 0..1 when the end is known. */
export const progressShare = (p: SyncProgress): number | null =>
  p.total ? Math.min(1, p.done / p.total) : null;

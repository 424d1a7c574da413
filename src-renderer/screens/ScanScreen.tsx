import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActiveParent, ScanRecord, ScanResult } from '../../src-main/core/types.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useScanText } from '../app/scan-text.ts';
import { useErrorText } from '../i18n/error-text.ts';
import { ProgressRing } from '../scan/ProgressRing.tsx';
import { commandOf } from '../scan/commands.ts';
import { formatTime } from '../ui/ui.tsx';

interface Read {
  id: string;
  at: number;
  code: string;
  kind: 'ok' | 'parent' | 'full' | 'duplicate' | 'error';
  text: string;
}

const kindOfRecord = (r: ScanRecord): Read['kind'] =>
  r.action === 'rejected'
    ? 'error'
    : r.action === 'parent'
      ? 'parent'
      : r.action === 'ignored'
        ? 'duplicate'
        : 'ok';

const kindOfResult: Record<ScanResult['outcome'], Read['kind']> = {
  linked: 'ok',
  parent_active: 'parent',
  parent_full: 'full',
  already_linked: 'duplicate',
  double_read: 'duplicate',
  rejected: 'error',
  command: 'duplicate',
};

/** The dock worker's screen: the active parent in huge type, its fill as a ring, the last 10 reads, undo. */
export function ScanScreen({ onNotice }: { onNotice: (text: string | null) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const scanText = useScanText();
  const errorText = useErrorText();
  const [parent, setParent] = useState<ActiveParent | null>(null);
  const [reads, setReads] = useState<Read[]>([]);

  const load = useCallback(async () => {
    const answer = await client.call('scan.state', { limit: 10 });
    if (!answer.ok) return;
    setParent(answer.value.activeParent);
    setReads(
      answer.value.recent.map((r) => ({
        id: r.id,
        at: r.at,
        code: r.code || r.raw,
        kind: kindOfRecord(r),
        text: [t(`actions.${r.action}`, { defaultValue: r.action }), r.parentCode]
          .filter(Boolean)
          .join(' · '),
      })),
    );
  }, [client, t]);

  useEffect(() => {
    void load();
  }, [load]);

  useEvent('onScanResult', (result) => {
    if (commandOf(result.code || result.raw)) return void load();
    if (result.activeParent || result.outcome === 'parent_active') setParent(result.activeParent);
    const read = {
      id: result.scanId,
      at: result.at,
      code: result.code || result.raw,
      kind: kindOfResult[result.outcome],
      text: scanText(result),
    };
    setReads((list) => [read, ...list].slice(0, 10));
  });

  const undo = async () => {
    const answer = await client.call('scan.undoLast', {});
    onNotice(answer.ok ? t('scan.undone') : errorText(answer.error));
    await load();
  };

  const full = !!parent && parent.childCount >= parent.capacity;
  return (
    <main className="scan">
      <section
        className={`scan-parent${full ? ' scan-parent-full' : ''}`}
        aria-labelledby="active-parent-label"
      >
        <div id="active-parent-label" className="label">
          {t('scan.activeParent')}
        </div>
        <div className="parent-code" data-testid="active-parent">
          {parent ? parent.code : t('scan.noParent')}
        </div>
        {parent && (
          <ProgressRing
            count={parent.childCount}
            capacity={parent.capacity}
            label={t('scan.progress', { count: parent.childCount, capacity: parent.capacity })}
          />
        )}
        {full && <div className="full-banner">{t('scan.fullBanner')}</div>}
        {!parent && <p className="hint">{t('scan.startHint')}</p>}
        <button type="button" className="button button-big" data-testid="undo" onClick={() => void undo()}>
          {t('scan.undo')}
        </button>
      </section>
      <section className="scan-reads" aria-labelledby="reads-title">
        <h2 id="reads-title">{t('scan.lastReads')}</h2>
        <ol className="reads" data-testid="reads">
          {reads.map((read) => (
            <li key={read.id} className={`read read-${read.kind}`}>
              <span className="read-code">{read.code}</span>
              <span className="read-text">{read.text}</span>
              <span className="read-time">{formatTime(read.at)}</span>
            </li>
          ))}
          {reads.length === 0 && <li className="read read-empty">{t('scan.noReads')}</li>}
        </ol>
      </section>
    </main>
  );
}
